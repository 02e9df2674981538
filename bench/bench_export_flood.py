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

With --import-entries N (needs --broker-url) a moderator's import of N new entries (files of the largest
size an import takes, 5,000 entries, sent together) is queued at the moment the flood starts, approved at
once, and the reader goes on until the last file is written. The term page's median and p95 are printed
side by side: idle (the same reader, the same pause, before anything is queued), during the flood and the
import together, and during the rest of the import; a loaded figure more than 20 % above the idle one is
marked. The load average of the machine is printed with them: other work on it makes every figure noisy,
which only the ratios of one run and a few runs in a row put right.

    .venv/bin/python bench/bench_export_flood.py --cache-url redis://127.0.0.1:6379/5 \
        --broker-url redis://127.0.0.1:6379/6 --import-entries 50000
"""
import argparse
import csv
import io
import json
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
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def environment(workdir: Path, cache_url: str, database_url: str) -> dict:
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": database_url,
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
    except OSError:  # no answer (a worker killed for its timeout): counted as status 0
        status = 0
    return status, time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def book(url: str, headers: dict, stop: threading.Event | None = None) -> tuple[int, float]:
    """The book at `url`: asked again every half second while the task queue builds it (202), until `stop`."""
    started = time.perf_counter()
    status, _seconds = get(url, headers)
    while status == 202 and not (stop is not None and stop.is_set()):
        time.sleep(0.5)
        status, _seconds = get(url, headers)
    return status, time.perf_counter() - started


# The most entries one import takes (lexique.interop.importers.readers.MAX_ENTRIES).
IMPORT_FILE_ENTRIES = 50_000
# The reader's pause between two term pages, idle and loaded alike.
READER_PAUSE = 0.05

# Run by `manage.py shell` with the site's environment: a moderator's files kept and their imports queued,
# as the import page does when a moderator sends them (approved at once).
ENQUEUE_IMPORTS = '''
import json, os
from django.contrib.auth import get_user_model
from lexique.interop.importers.uploads import keep_upload
from lexique.interop.tasks import import_file_task
from lexique.management.commands.seed_demo import make_moderator
from lexique.platform.queue import enqueue, task_id
user = get_user_model().objects.filter(username="importer").first()
if user is None:
    user = get_user_model().objects.create_user("importer", "importer@example.org", None)
    make_moderator(user)
for path in json.loads(os.environ["BENCH_IMPORT_FILES"]):
    with open(path, "rb") as data:
        digest = keep_upload(data.read(), "csv")
    work = {"digest": digest, "file_format": "csv", "file_name": os.path.basename(path), "by": user.pk,
            "dry_run": False, "approve_now": True, "summary": "Import massif", "matches": {}, "keep": {},
            "clear_empty": False, "skip_refused": True}
    enqueue(import_file_task, task_id("import", json.dumps(work, sort_keys=True)), **work, page={}, location="")
'''


def import_files(workdir: Path, entries: int) -> list[Path]:
    """CSV files of new entries, `entries` in all, at most IMPORT_FILE_ENTRIES each."""
    run = uuid.uuid4().hex[:6]
    paths = []
    for first in range(0, entries, IMPORT_FILE_ENTRIES):
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["headword_fr", "headword_en", "definition_fr", "definition_en"])
        for number in range(first, min(entries, first + IMPORT_FILE_ENTRIES)):
            writer.writerow([f"terme importé {run} {number:06d}", f"imported term {run} {number:06d}",
                             f"Définition du terme importé numéro {number}, reçue d'un glossaire partenaire.",
                             f"Definition of imported term number {number}, from a partner's glossary."])
        path = workdir / f"import-{first // IMPORT_FILE_ENTRIES + 1:02d}.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        paths.append(path)
    return paths


class Database:
    """The bench's own database: a SQLite file in the work folder, or a PostgreSQL database made for the run on
    the server of --database-url (and dropped at the end)."""

    def __init__(self, workdir: Path, server_url: str):
        self.path = workdir / "flood.sqlite3"
        self.url = f"sqlite:///{self.path}"
        self.admin = None
        if server_url:
            import psycopg

            self.admin, self.name = server_url, f"{urllib.parse.urlsplit(server_url).path.strip('/')}_flood"
            with psycopg.connect(self.admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urllib.parse.urlunsplit(urllib.parse.urlsplit(server_url)._replace(path=f"/{self.name}"))

    @property
    def vendor(self) -> str:
        return "PostgreSQL" if self.admin else "SQLite"

    def value(self, sql: str):
        if self.admin is None:
            with sqlite3.connect(self.path, timeout=60) as connection:
                return connection.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchone()[0]

    def drop(self) -> None:
        if self.admin is not None:
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def imported(database: Database) -> int:
    """Entries of the bench's import written so far (each file is written whole, at once)."""
    return database.value("select count(*) from lexique_term t join lexique_revision r on "
                                  "r.id = t.current_revision_id join auth_user u on u.id = r.author_id "
                                  "where u.username = 'importer'")


def read_pages(page: str, seconds: float) -> list[float]:
    """The reader alone, for `seconds`: the idle figures."""
    times, ends = [], time.perf_counter() + seconds
    while time.perf_counter() < ends:
        times.append(get(page)[1])
        time.sleep(READER_PAUSE)
    return times


def flood(base: str, page: str, clients: int, titles: int, import_done=None, seconds_at_most: float = 0) -> dict:
    """The clients' books while the reader loads `page`; with `import_done` (a callable), the reader goes on
    until it says True. Each page time is kept with the moment it started and whether the flood still ran."""
    answers, page_times, done = [], [], threading.Event()
    timeline = []  # (started, seconds, flood still running)
    flooding = threading.Event()
    flooding.set()
    cut = threading.Event()  # --loaded-seconds passed: the clients stop asking
    if seconds_at_most:
        threading.Timer(seconds_at_most, cut.set).start()
    # Addresses of the benchmarking range, new at each run: a shared cache may still count earlier ones.
    network = random.randrange(256)

    def client(number):
        for title in range(titles):
            if cut.is_set():
                return
            status, seconds = book(f"{base}/export/lexique-bilingue.epub?titre=Guide+{number}+{title}",
                                   {"X-Forwarded-For": f"198.18.{network}.{number}"}, cut)
            answers.append((status, seconds, number))

    def reader():
        while not done.is_set():
            started = time.perf_counter()
            seconds = get(page)[1]
            page_times.append(seconds)
            timeline.append((started, seconds, flooding.is_set()))
            time.sleep(READER_PAUSE)

    watcher = threading.Thread(target=reader)
    watcher.start()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(1, clients + 1)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    flooding.clear()
    import_seconds = None
    while import_done is not None and not import_done() and not cut.is_set():
        time.sleep(1)
    if import_done is not None:
        import_seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    return {"answers": answers, "page": page_times, "seconds": seconds, "timeline": timeline,
            "import_seconds": import_seconds}


def figures(values: list[float]) -> tuple[float, float]:
    """Median and p95 (ms)."""
    ordered = sorted(values)
    return 1000 * statistics.median(ordered), 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def side_by_side(idle: list[float], loaded: dict[str, list[float]]) -> list[str]:
    """The term page's median and p95, idle and under each load, with the ratios (marked above 1.20)."""
    idle_median, idle_p95 = figures(idle)
    lines = [f"{'term page':<34}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'median ×':>10}{'p95 ×':>8}",
             f"{'idle':<34}{len(idle):>9}{idle_median:>11.1f}{idle_p95:>9.1f}{1:>10.2f}{1:>8.2f}"]
    for label, values in loaded.items():
        if not values:
            continue
        median, p95 = figures(values)
        ratios = (median / idle_median, p95 / idle_p95)
        mark = "" if max(ratios) <= 1.2 else "   > 1.20"
        lines.append(f"{label:<34}{len(values):>9}{median:>11.1f}{p95:>9.1f}{ratios[0]:>10.2f}{ratios[1]:>8.2f}{mark}")
    return lines


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
    parser.add_argument("--database-url", default="", help="a PostgreSQL database whose server gets a database of "
                                                           "the run's own (default: a SQLite file)")
    parser.add_argument("--loaded-seconds", type=float, default=0,
                        help="stop reading this long after the load starts, the import written or not (0: wait)")
    parser.add_argument("--import-entries", type=int, default=0,
                        help="entries imported through the queue during the flood (needs --broker-url)")
    parser.add_argument("--idle-seconds", type=float, default=20, help="the reader alone, before the load")
    parser.add_argument("--concurrency", type=int, default=1, help="the worker's processes")
    parser.add_argument("--worker-nice", default=None, help="WORKER_NICE of the worker (default: the site's)")
    args = parser.parse_args()
    if args.import_entries and not args.broker_url:
        parser.error("--import-entries needs --broker-url: imports go through the task queue")
    with tempfile.TemporaryDirectory(prefix="lexique-flood-") as workdir:
        workdir = Path(workdir)
        database = Database(workdir, args.database_url)
        env = environment(workdir, args.cache_url, database.url)
        if args.broker_url:
            env.update(CELERY_BROKER_URL=args.broker_url, CELERY_QUEUE=f"bench-{uuid.uuid4().hex[:8]}")
        if args.worker_nice is not None:
            env["WORKER_NICE"] = args.worker_nice
        for command in (["migrate", "-v0"], ["seed_demo"], ["generate_terms", str(args.terms)]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        slug = database.value("select slug from lexique_term where current_revision_id is not null order by id limit 1")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(GUNICORN), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "--timeout", "120"], cwd=BASE_DIR, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency",
                                   str(args.concurrency),
                                   "--loglevel", "WARNING"], cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) if args.broker_url else None
        try:
            for _ in range(1200):  # gunicorn starting (a minute at most)
                if get(f"{base}/termes/{slug}/")[0]:
                    break
                time.sleep(0.05)
            standard = {variant: book(f"{base}/export/lexique-{variant}.epub", {})
                        for variant in ("fr", "en", "bilingue")}
            quiet = [get(f"{base}/termes/{slug}/")[1] for _ in range(30)]
            load_idle = os.getloadavg()
            idle = read_pages(f"{base}/termes/{slug}/", args.idle_seconds)
            import_done = None
            if args.import_entries:
                paths = import_files(workdir, args.import_entries)
                subprocess.run([sys.executable, "manage.py", "shell", "-c", ENQUEUE_IMPORTS], cwd=BASE_DIR, check=True,
                               env={**env, "BENCH_IMPORT_FILES": json.dumps([str(path) for path in paths])})

                def import_done():
                    return imported(database) >= args.import_entries
            load_start = os.getloadavg()
            result = flood(base, f"{base}/termes/{slug}/", args.clients, args.titles, import_done, args.loaded_seconds)
            load_end = os.getloadavg()
            written = imported(database) if args.import_entries else 0
        finally:
            server.terminate()
            server.wait()
            if worker is not None:  # at once: an import cut short is rolled back, as after any crash
                worker.kill()
                worker.wait()
            database.drop()
        names = sorted(path.name for path in (workdir / "media").rglob("*") if path.is_file()
                       and "uploads" not in path.parts and "imports" not in path.parts)
        shutil.rmtree(workdir / "media", ignore_errors=True)
    statuses = {}
    for status, _seconds, _client in result["answers"]:
        statuses[status] = statuses.get(status, 0) + 1
    built = [seconds for status, seconds, _client in result["answers"] if status == 200]
    per_client = {}
    for status, _seconds, number in result["answers"]:
        per_client.setdefault(number, []).append(status)
    print(f"E-book flood benchmark: {args.terms} generated terms, {database.vendor}, gunicorn --workers 2, "
          f"cache {args.cache_url or 'local memory'}, books built "
          f"{'by a Celery worker (--concurrency 1)' if args.broker_url else 'in the request'}")
    print("standard books built first: " + ", ".join(f"{v} {s} in {t:.2f} s" for v, (s, t) in standard.items()))
    print(f"term page, quiet: {ms(quiet)} ({len(quiet)} requests)")
    print(f"term page, during the flood: {ms(result['page'])}, "
          f"p90 {statistics.quantiles(result['page'], n=10)[-1] * 1000:.0f} ms, "
          f"p95 {statistics.quantiles(result['page'], n=20)[-1] * 1000:.0f} ms ({len(result['page'])} requests)")
    print(f"term page, quiet: p95 {statistics.quantiles(quiet, n=20)[-1] * 1000:.0f} ms; during the flood, median "
          f"{statistics.median(result['page']) / statistics.median(quiet):.2f}× the quiet one")
    flood_and_import = [seconds for _s, seconds, flooding in result["timeline"] if flooding]
    import_alone = [seconds for _s, seconds, flooding in result["timeline"] if not flooding]
    load = "load average (1, 5, 15 min) {}, 2 cores; other people's work on this machine adds to it"
    print(f"\nside by side, in this run ({load.format(' '.join(f'{v:.2f}' for v in load_idle))} before the idle "
          f"reader, {' '.join(f'{v:.2f}' for v in load_start)} as the load starts, "
          f"{' '.join(f'{v:.2f}' for v in load_end)} at its end):")
    loaded = {"flood" + (" + import" if args.import_entries else ""): flood_and_import}
    if args.import_entries:
        loaded["import alone (flood over)"] = import_alone
        loaded["all of the loaded time"] = result["page"]
    for line in side_by_side(idle, loaded):
        print("  " + line)
    if args.import_entries:
        print(f"import: {args.import_entries} entries in {len(range(0, args.import_entries, IMPORT_FILE_ENTRIES))} "
              f"files through the queue (worker --concurrency {args.concurrency}, WORKER_NICE "
              f"{args.worker_nice or 'default'}): {written} written {result['import_seconds']:.0f} s after the load "
              f"started{'' if written >= args.import_entries else ' (the reader stopped at --loaded-seconds)'}; "
              f"the flood took {result['seconds']:.0f} s")
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
