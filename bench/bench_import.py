"""Imports: entries a second for a CSV of new terms, approved at once, at 1,000 and 50,000 entries, on SQLite and
PostgreSQL, side by side; written in bulk (chunks of `CHUNK` entries, the import's way) and, up to
`--one-by-one-max` entries, one by one through the services (`import_entries(bulk=False)`, the way before chunks).

    .venv/bin/python bench/bench_import.py [--sizes 1000 50000] [--one-by-one-max 1000] \
        [--postgres postgres://lexique:lexique@127.0.0.1:5432/lexique_importbench] [--profile]

Each run is a fresh process on a fresh database (a temporary SQLite file; the PostgreSQL database is dropped and
made again), with the site's own domains and 200 published terms that some entries name as related. The file is
read (`read_entries`) and imported (`import_entries`, approve_now) as the task queue's worker does; the figures
are the entries a second of the whole (reading included) and of the import alone. `--profile` prints the
functions that take the most time in the first run.
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = 200


def glossary(entries: int) -> bytes:
    """A CSV of `entries` new terms in the site's columns: both headwords, both definitions, a synonym, a source,
    a domain, and for one in ten a related published term."""
    from lexique.interop.exporters.csv import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for number in range(entries):
        writer.writerow({
            "headword_fr": f"terme importé {number:06d}", "headword_en": f"imported term {number:06d}",
            "definition_fr": f"Définition du terme importé numéro {number}, écrite pour la mesure.",
            "definition_en": f"Definition of imported term number {number}, written for the bench.",
            "synonyms_admitted_fr": f"synonyme {number:06d}", "sources": f"Source <https://example.org/s/{number}>",
            "domains": "creation", "related": f"terme-publie-{number % PUBLISHED:04d}" if number % 10 == 0 else "",
        })
    return out.getvalue().encode("utf-8")


def child(entries: int, profile: bool, bulk: bool) -> None:
    """One run, in this process: the database named by DATABASE_URL is empty and migrated here."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from lexique.interop.importers import import_entries, read_entries
    from tests.support.factories import UserFactory, publish_term

    call_command("migrate", verbosity=0)
    from lexique.models import Domain

    Domain.objects.get_or_create(slug="creation", defaults={"name_fr": "Création", "name_en": "Creation"})
    moderator = UserFactory(moderator=True)
    for number in range(PUBLISHED):
        publish_term(headword_fr=f"terme publié {number:04d}", moderator=moderator)
    data = glossary(entries)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    read = read_entries(data, "csv")
    after_read = time.perf_counter()
    report = import_entries(entries=read, by=moderator, approve_now=True, source="bench.csv", bulk=bulk)
    end = time.perf_counter()
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    assert report.written and report.count_new == entries, [o.messages for o in report.errors[:3]]
    print(json.dumps({"entries": entries, "total": end - start, "import": end - after_read}))


def run(database: str, url: str, entries: int, profile: bool, bulk: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings",
           "LEXIQUE_IMPORT_MAX_ENTRIES": str(max(entries, 50_000))}
    if database == "PostgreSQL":
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    done = subprocess.run([sys.executable, __file__, "--child", str(entries)] + (["--profile"] if profile else [])
                          + ([] if bulk else ["--one-by-one"]),
                          env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"{database}, {entries} entries failed:\n{done.stderr[-3000:]}")
    if profile:
        print(done.stderr[-12000:], file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 50_000])
    parser.add_argument("--postgres", default="postgres://lexique:lexique@127.0.0.1:5432/lexique_importbench")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--one-by-one-max", type=int, default=1000)
    parser.add_argument("--child", type=int)
    parser.add_argument("--one-by-one", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile, not args.one_by_one)
        return
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; new terms approved at once, CSV")
    print(f"{'database':12} {'entries':>8} {'written':>11} {'entries/s':>10} {'import only':>12} {'seconds':>8}"
          f" {'ratio':>6}")
    databases = [("SQLite", None)] + ([] if args.no_postgres else [("PostgreSQL", args.postgres)])
    for entries in args.sizes:
        for database, url in databases:
            rates = {}
            for bulk in (True, False) if entries <= args.one_by_one_max else (True,):
                with tempfile.TemporaryDirectory() as folder:
                    figures = run(database, url or f"sqlite:///{folder}/bench.sqlite3", entries, args.profile, bulk)
                rates[bulk] = entries / figures["total"]
                ratio = f"{rates[True] / rates[False]:>6.1f}" if not bulk else ""
                print(f"{database:12} {entries:>8} {'in bulk' if bulk else 'one by one':>11} {rates[bulk]:>10.0f} "
                      f"{entries / figures['import']:>12.0f} {figures['total']:>8.1f} {ratio}", flush=True)
                args.profile = False
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
