"""Benchmark of the public API under gunicorn and wrk, side by side with a trivial JsonResponse (the floor).

    .venv/bin/python bench/bench_api.py [--terms 10000] [--duration 3] [--rounds 3]

SQLite by default (a throw-away file); PostgreSQL when DATABASE_URL is set (the database
lexique_bench is created next to the one it names, and reused). Serves the site with gunicorn
(2 workers, 127.0.0.1, a free port), loads each address with wrk, prints requests/s and the ratio
to the floor against the targets: terms/?page_size=100 >= 0.5, terms/{slug}/ >= 0.6,
terms/?q=... >= 0.2 (on PostgreSQL). gunicorn is stopped at the end.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGETS = {"list": 0.5, "detail": 0.6, "search": 0.2}


def bench_database(workdir):
    """(DATABASE_URL for the benchmark, database name for the output)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}", "SQLite"
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'lexique_bench'").fetchone()
        if not exists:
            connection.execute("CREATE DATABASE lexique_bench")
    return urlunsplit(parts._replace(path="/lexique_bench")), "PostgreSQL"


def run(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def wrk(url, duration):
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", url], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=3, help="seconds of load per address and round")
    parser.add_argument("--rounds", type=int, default=3, help="the addresses take turns this many times")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian package wrk).")

    workdir = Path(tempfile.mkdtemp(prefix="lexique-bench-api-"))
    database_url, database = bench_database(workdir)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_floor",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(BASE_DIR),
    }
    print(f"Preparing {options.terms} terms on {database}...", flush=True)
    run(env, "migrate", "--no-input")
    run(env, "seed_demo", "--i-know-this-is-production")
    existing = int(subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from lexique.models import Term; print(Term.objects.filter(slug__startswith='synthetique-').count())"],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()[-1])
    if existing < options.terms:
        run(env, "generate_terms", str(options.terms - existing))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=BASE_DIR, env=env, start_new_session=True,
    )
    try:
        wait_until_up(f"{base}/bench/floor/")
        urls = {
            "floor": f"{base}/bench/floor/",
            "list": f"{base}/api/v1/terms/?page_size=100",
            "detail": f"{base}/api/v1/terms/synthetique-004242/",
            "search": f"{base}/api/v1/terms/?q=numerique%20donnees",
        }
        for url in urls.values():  # both workers build their cached copy before the clock starts
            for _ in range(4):
                urllib.request.urlopen(url, timeout=30).read()
        # The machine may be doing other work: each address is loaded between two loads of the floor,
        # and its ratio is taken against the mean of those two; the median round counts.
        samples = {name: [] for name in urls}
        ratios = {name: [] for name in urls if name != "floor"}
        for _ in range(options.rounds):
            before = wrk(urls["floor"], options.duration)
            samples["floor"].append(before)
            for name in ratios:
                rate = wrk(urls[name], options.duration)
                after = wrk(urls["floor"], options.duration)
                samples[name].append(rate)
                samples["floor"].append(after)
                ratios[name].append(rate / ((before + after) / 2))
                before = after
        rates = {name: statistics.median(values) for name, values in samples.items()}
        ratios = {name: statistics.median(values) for name, values in ratios.items()}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nAPI benchmark on {database}: {options.terms} synthetic terms, gunicorn 2 workers, "
          f"wrk -t2 -c8 -d{options.duration}s, median of {options.rounds} rounds, each address between two loads "
          f"of the floor (throttling off: one client address)")
    print(f"{'address':<42} {'requests/s':>11} {'ratio':>7} {'target':>8}")
    paths = {name: url.replace(base, "") for name, url in urls.items()}
    print(f"{paths['floor']:<42} {rates['floor']:>11.0f} {'1.00':>7} {'':>8}")
    failed = False
    for name in ("list", "detail", "search"):
        ratio = ratios[name]
        target = TARGETS[name]
        applies = name != "search" or database == "PostgreSQL"
        verdict = ("ok" if ratio >= target else "MISSED") if applies else "(PostgreSQL target)"
        failed |= applies and ratio < target
        print(f"{paths[name]:<42} {rates[name]:>11.0f} {ratio:>7.2f} {'>= ' + str(target):>8} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
