"""Benchmark of a flood of custom e-books: a term page's latency while clients ask for books of their own.

    .venv/bin/python bench/bench_export_flood.py [--terms 10000] [--clients 3] [--titles 12]
    .venv/bin/python bench/bench_export_flood.py --cache-url redis://127.0.0.1:6379/4
    .venv/bin/python bench/bench_export_flood.py --cache-url redis://127.0.0.1:6379/4 --broker-url redis://127.0.0.1:6379/5

Makes its own throw-away SQLite database (migrate, seed_demo, generate_terms N), starts gunicorn with
two workers (as the Docker image does), stores the three standard books, then lets each client (its
own X-Forwarded-For behind one trusted proxy) ask for one new custom book after another while a
reader loads a term page every 50 ms. Prints the page's latency when quiet and during the flood, the
answers the clients got, and what the store holds at the end.

With --broker-url the books are built by a Celery worker (one process, as a small host runs it): a client
answered 202 asks again every half second until its book is served, and the time to its book is printed.
"""
import argparse
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def environment(workdir: Path, cache_url: str) -> dict:
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": f"sqlite:///{workdir / 'flood.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"), "DEBUG": "1", "SECRET_KEY": "benchmark-only-secret-key",
        "LOG_LEVEL": "CRITICAL", "NUM_PROXIES": "1",
    }
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def get(url: str, headers: dict | None = None) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def book(url: str, headers: dict) -> tuple[int, float]:
    """The book at `url`: asked again every half second while the task queue builds it (202)."""
    started = time.perf_counter()
    status, _seconds = get(url, headers)
    while status == 202:
        time.sleep(0.5)
        status, _seconds = get(url, headers)
    return status, time.perf_counter() - started


def flood(base: str, page: str, clients: int, titles: int) -> dict:
    answers, page_times, done = [], [], threading.Event()
    # Addresses of the benchmarking range, new at each run: a shared cache may still count earlier ones.
    network = random.randrange(256)

    def client(number):
        for title in range(titles):
            status, seconds = book(f"{base}/export/lexique-bilingue.epub?titre=Guide+{number}+{title}",
                                   {"X-Forwarded-For": f"198.18.{network}.{number}"})
            answers.append((status, seconds, number))

    def reader():
        while not done.is_set():
            page_times.append(get(page)[1])
            time.sleep(0.05)

    watcher = threading.Thread(target=reader)
    watcher.start()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(1, clients + 1)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    return {"answers": answers, "page": page_times, "seconds": seconds}


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--titles", type=int, default=12)
    parser.add_argument("--cache-url", default="", help="CACHE_URL of the site (default: local memory)")
    parser.add_argument("--broker-url", default="", help="CELERY_BROKER_URL: books built by a worker (default: "
                                                         "in the request)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lexique-flood-") as workdir:
        workdir = Path(workdir)
        env = environment(workdir, args.cache_url)
        if args.broker_url:
            env.update(CELERY_BROKER_URL=args.broker_url, CELERY_QUEUE=f"bench-{uuid.uuid4().hex[:8]}")
        for command in (["migrate", "-v0"], ["seed_demo"], ["generate_terms", str(args.terms)]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        slug = sqlite3.connect(workdir / "flood.sqlite3").execute(
            "select slug from lexique_term where current_revision_id is not null order by id limit 1").fetchone()[0]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(GUNICORN), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "--timeout", "120"], cwd=BASE_DIR, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1",
                                   "--loglevel", "WARNING"], cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) if args.broker_url else None
        try:
            for _ in range(200):
                try:
                    get(f"{base}/termes/{slug}/")
                    break
                except OSError:
                    time.sleep(0.1)
            standard = {variant: book(f"{base}/export/lexique-{variant}.epub", {})
                        for variant in ("fr", "en", "bilingue")}
            quiet = [get(f"{base}/termes/{slug}/")[1] for _ in range(30)]
            result = flood(base, f"{base}/termes/{slug}/", args.clients, args.titles)
        finally:
            server.terminate()
            server.wait()
            if worker is not None:
                worker.terminate()
                worker.wait()
        names = sorted(path.name for path in (workdir / "media" / "exports").iterdir())
        shutil.rmtree(workdir / "media", ignore_errors=True)
    statuses = {}
    for status, _seconds, _client in result["answers"]:
        statuses[status] = statuses.get(status, 0) + 1
    built = [seconds for status, seconds, _client in result["answers"] if status == 200]
    per_client = {}
    for status, _seconds, number in result["answers"]:
        per_client.setdefault(number, []).append(status)
    print(f"E-book flood benchmark: {args.terms} generated terms, SQLite, gunicorn --workers 2, "
          f"cache {args.cache_url or 'local memory'}, books built "
          f"{'by a Celery worker (--concurrency 1)' if args.broker_url else 'in the request'}")
    print("standard books built first: " + ", ".join(f"{v} {s} in {t:.2f} s" for v, (s, t) in standard.items()))
    print(f"term page, quiet: {ms(quiet)} ({len(quiet)} requests)")
    print(f"term page, during the flood: {ms(result['page'])}, "
          f"p90 {statistics.quantiles(result['page'], n=10)[-1] * 1000:.0f} ms, "
          f"p95 {statistics.quantiles(result['page'], n=20)[-1] * 1000:.0f} ms ({len(result['page'])} requests)")
    print(f"term page, quiet: p95 {statistics.quantiles(quiet, n=20)[-1] * 1000:.0f} ms; during the flood, median "
          f"{statistics.median(result['page']) / statistics.median(quiet):.2f}× the quiet one")
    print(f"flood: {len(result['answers'])} custom requests from {args.clients} clients in {result['seconds']:.1f} s, "
          f"answers {dict(sorted(statuses.items()))}")
    for number, statuses_of_client in sorted(per_client.items()):
        print(f"  client {number}: {' '.join(map(str, statuses_of_client))}")
    if built:
        print(f"custom books served (200): {ms(built)}")
    print(f"store at the end: {sum(not n.startswith('.') for n in names)} books, "
          f"{sum(n.startswith('.') for n in names)} hidden files (locks, parts)")


if __name__ == "__main__":
    main()
