"""Benchmark of the EPUB export: `manage.py export_epub` against a bare ebooklib script, peak memory, workers.

    .venv/bin/python bench/bench_epub.py [--terms 10000] [--repeat 5] [--large] [--keep DIR]
    .venv/bin/python bench/bench_epub.py --postgres postgres://lexique:lexique@127.0.0.1:5432/lexique_epubbench

Makes its own throw-away SQLite database (migrate, seed_demo, generate_terms N), or with --postgres a
PostgreSQL database of that name (dropped and made again, so never give it a database you keep; one per
size: the name gets _<terms> appended), and measures, each in a process of its own:

- the export: `manage.py export_epub` run in a fresh interpreter, its wall time less Django's own
  start-up (`django.setup()`, timed alone in the same run), and the whole process's peak memory;
- a bare ebooklib script writing the same headwords and definitions as each book (read with the
  database driver, one page per 300 terms, ebooklib's own write_epub): French for the French book,
  English for the English one, both for the bilingual one; its wall time in a fresh interpreter too.
  Each book's ratio is the median of its rounds' ratios, each export to the bare script with the same
  texts run just before it (a burst of load on a shared machine then weighs on both sides of one
  ratio); the ratio of the medians to the French bare script is shown beside it;
- a web worker's memory at rest, after a build in a child process (the site's default) and after a
  build in the worker itself.

With --large, the same again at 100,000 terms (about five minutes of data generation); or --terms 100000.
Targets: export <= 3x the bare script at 10,000 and 100,000 terms; peak <= 300 MB at 100,000 terms; no
document of a book (XHTML file, search key map) over 300 KB at any size; the worker back to its resting
memory after a build.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
TERMS_PER_PAGE = 300


def database_url(workdir: Path) -> str:
    """The benchmark's database: SQLite in the work folder, or the PostgreSQL database named there."""
    named = workdir / "postgres-url"
    return named.read_text().strip() if named.exists() else f"sqlite:///{workdir / 'bench.sqlite3'}"


def environment(workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(workdir),
        "MEDIA_ROOT": str(workdir / "media"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key"),
        "SITE_URL": "https://lexique.example.org",
        "LOG_LEVEL": "WARNING",
    }


def recreate_postgres(url: str):
    """Drop and create the PostgreSQL database of `url`, through the server's maintenance database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(workdir: Path, terms: int):
    if (workdir / "postgres-url").exists():
        recreate_postgres(database_url(workdir))
    env = environment(workdir)
    for command in (["migrate", "-v0"], ["seed_demo", "--i-know-this-is-production"], ["generate_terms", str(terms)]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True,
                       stdout=subprocess.DEVNULL)


def compile_project():
    """The site's modules as bytecode, as an installed site has them (pip compiles what it installs):
    with PYTHONDONTWRITEBYTECODE set, each export would otherwise compile them again, which the bare
    script, importing only installed packages, never does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "lexique", "config"], cwd=BASE_DIR, check=True,
                   stdout=subprocess.DEVNULL)


def child(mode: str, workdir: Path, *extra) -> dict:
    """Run this script in `mode` in a fresh interpreter; its wall time as seen from here, and its report."""
    started = time.perf_counter()
    run = subprocess.run([sys.executable, __file__, "--child", mode, str(workdir), *extra], cwd=BASE_DIR,
                         env=environment(workdir), capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if run.returncode:
        sys.exit(f"the {mode} process failed:\n{run.stderr[-4000:]}")
    return {"wall": wall, **json.loads(run.stdout.strip().splitlines()[-1])}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# -- the measured processes -------------------------------------------------------------------
def run_export(workdir: Path, lang: str) -> dict:
    """What `manage.py export_epub` does, with django.setup() timed alone first (the command's own
    setup is then a no-op)."""
    import django

    started = time.perf_counter()
    django.setup()
    setup = time.perf_counter() - started
    from django.core.management import execute_from_command_line

    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            execute_from_command_line(["manage.py", "export_epub", "--lang", lang, "-o", str(workdir / f"{lang}.epub")])
        finally:
            sys.stdout = stdout
    command = time.perf_counter() - started
    import zipfile

    with zipfile.ZipFile(workdir / f"{lang}.epub") as book:
        # The largest document a reading system opens (the cover image is not one).
        largest = max((info for info in book.infolist() if info.filename.endswith((".xhtml", ".xml", ".ncx", ".opf"))),
                      key=lambda info: info.file_size)
    return {"setup": setup, "command": command, "peak_mb": peak_mb(),
            "size": (workdir / f"{lang}.epub").stat().st_size,
            "largest": [largest.filename.rpartition("/")[2], largest.file_size]}


# The headwords and definitions each book holds, as columns of the terms table: the bilingual book both
# languages', the English one the English texts (French where a term has none, as the book does).
BARE_COLUMNS = {
    "fr": ("headword_fr", "definition_html_fr"),
    "en": ("COALESCE(NULLIF(headword_en, ''), headword_fr)",
           "COALESCE(NULLIF(definition_html_en, ''), definition_html_fr)"),
    "bilingual": ("headword_fr", "definition_html_fr", "headword_en", "definition_html_en"),
}


def run_bare(workdir: Path, lang: str = "fr") -> dict:
    """The same headwords and definitions as the book in `lang`, with ebooklib alone: read, one page
    per 300 terms, write_epub."""
    import html

    from ebooklib import epub

    order = "sort_key_english" if lang == "en" else "sort_key"
    query = f"SELECT {', '.join(BARE_COLUMNS[lang])} FROM lexique_term WHERE status = 'published' ORDER BY {order}"
    url = database_url(workdir)
    if url.startswith("postgres"):
        import psycopg

        rows = psycopg.connect(url).cursor(name="terms")  # server side: read as it goes, as SQLite does
        rows.execute(query)
    else:
        import sqlite3

        rows = sqlite3.connect(workdir / "bench.sqlite3").execute(query)
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:bench")
    book.set_title("Lexique")
    book.set_language("en" if lang == "en" else "fr")
    chapters = []
    while True:
        chunk = rows.fetchmany(TERMS_PER_PAGE)
        if not chunk:
            break
        number = len(chapters) + 1
        body = "".join(f"<dt>{html.escape(headword or '')}</dt><dd>{definition or ''}</dd>"
                       for row in chunk for headword, definition in zip(row[::2], row[1::2], strict=True))
        chapter = epub.EpubHtml(title=f"Page {number}", file_name=f"page-{number}.xhtml",
                                lang="en" if lang == "en" else "fr")
        chapter.content = f"<h1>Page {number}</h1><dl>{body}</dl>"
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    epub.write_epub(str(workdir / f"bare-{lang}.epub"), book)
    return {"peak_mb": peak_mb(), "pages": len(chapters)}


def run_worker(workdir: Path, isolated: str) -> dict:
    """A web worker: its memory at rest (the health check served, the lexicon counted), then after
    building the French book."""
    import shutil

    import django

    os.environ["LEXIQUE_EXPORT_ISOLATED_BUILDS"] = isolated
    shutil.rmtree(workdir / "media" / "exports", ignore_errors=True)  # a cold build, whatever ran before
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from lexique.interop.published import ExportOptions
    from lexique.interop.store import get_export
    from lexique.models import Term

    setup_test_environment()
    Client().get("/healthz", secure=True)
    Term.objects.published().count()
    resting = resident_mb()
    started = time.perf_counter()
    get_export(ExportOptions(lang="fr")).close()
    return {"resting_mb": resting, "after_mb": resident_mb(), "build": time.perf_counter() - started}


# -- the report -------------------------------------------------------------------------------
def bench(terms: int, repeat: int, langs, keep: Path | None = None, postgres: str = "",
          skip_workers: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="lexique-bench-") as name:
        workdir = keep / (f"{terms}-postgres" if postgres else str(terms)) if keep else Path(name)
        started = time.perf_counter()
        workdir.mkdir(parents=True, exist_ok=True)
        prepared = workdir / "prepared"
        if postgres:
            (workdir / "postgres-url").write_text(f"{postgres}_{terms}")
        if prepared.exists():  # by an earlier run with --keep: migrated only
            subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR,
                           env=environment(workdir), check=True)
        else:
            prepare(workdir, terms)
            prepared.touch()
        print(f"({terms} terms prepared in {time.perf_counter() - started:.0f} s)", flush=True)
        compile_project()
        result = {"terms": terms, "exports": {}, "database": "PostgreSQL" if postgres else "SQLite"}
        # Rounds of a bare script and an export of each book, so that a change in the machine's load
        # weighs on both sides of a ratio alike.
        bare, exports = {lang: [] for lang in langs}, {lang: [] for lang in langs}
        for _round in range(repeat):
            for lang in langs:
                bare[lang].append(child("bare", workdir, lang))
                exports[lang].append(child("export", workdir, lang))
        for lang, runs in exports.items():
            result["exports"][lang] = {
                "wall": statistics.median(run["wall"] for run in runs),
                "setup": statistics.median(run["setup"] for run in runs),
                "export": statistics.median(run["wall"] - run["setup"] for run in runs),
                "peak_mb": max(run["peak_mb"] for run in runs),
                "size": runs[0]["size"],
                "largest": runs[0]["largest"],
                "bare": statistics.median(run["wall"] for run in bare[lang]),
                "bare_peak_mb": max(run["peak_mb"] for run in bare[lang]),
                # Each round's export against the bare script run just before it: a burst of load on the
                # shared machine then weighs on both sides of that ratio, not on one side of the medians.
                "ratio": statistics.median((run["wall"] - run["setup"]) / pair["wall"]
                                           for run, pair in zip(runs, bare[lang], strict=True)),
            }
        result["workers"] = {} if skip_workers else {
            mode: child("worker", workdir, flag) for mode, flag in (("child", "1"), ("inline", "0"))}
        return result


def report(result: dict):
    terms, exports = result["terms"], result["exports"]
    french_bare = exports["fr"]["bare"]
    print(f"\nEPUB export, {terms} published terms ({result['database']}); medians of the runs, each in a fresh "
          f"interpreter; load average {' '.join(f'{load:.1f}' for load in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"bare: an ebooklib script writing the book's headwords and definitions ({TERMS_PER_PAGE} terms a page, "
          f"write_epub); export: the command's process less django.setup(); ratio: the median of the rounds' "
          f"ratios (each export to the bare script run just before it)")
    print(f"{'book':<10} {'process':>8} {'setup':>7} {'export':>8} {'bare':>8} {'ratio':>7} {'to fr bare':>11} "
          f"{'peak':>8} {'bare peak':>10} {'size':>8}")
    for lang, row in exports.items():
        print(f"{lang:<10} {row['wall']:>6.2f} s {row['setup']:>5.2f} s {row['export']:>6.2f} s {row['bare']:>6.2f} s "
              f"{row['ratio']:>6.2f}x {row['export'] / french_bare:>10.2f}x {row['peak_mb']:>5.0f} MB "
              f"{row['bare_peak_mb']:>7.0f} MB {row['size'] / 2**20:>5.1f} MB")
    for lang, row in exports.items():
        name, size = row["largest"]
        print(f"largest document of the {lang} book (every XHTML file and search key map): {name}, "
              f"{size / 1024:.0f} KB, target <= 300 KB {'ok' if size <= 300 * 1024 else 'MISSED'}")
    if terms <= 10000:
        for lang, row in exports.items():
            ratio = row["ratio"]
            print(f"target at 10,000 terms, {lang}: export less django.setup() <= 3x the bare script with the same "
                  f"texts: {ratio:.2f}x {'ok' if ratio <= 3 else 'MISSED'}")
    if terms >= 100000:
        for lang, row in exports.items():
            ratio, peak = row["ratio"], row["peak_mb"]
            print(f"targets at 100,000 terms, {lang}: export <= 3x the bare script: {ratio:.2f}x "
                  f"{'ok' if ratio <= 3 else 'MISSED'}; peak <= 300 MB: {peak:.0f} MB "
                  f"{'ok' if peak <= 300 else 'MISSED'}")
    for mode, worker in result["workers"].items():
        grown = worker["after_mb"] - worker["resting_mb"]
        where = "in a child process (default)" if mode == "child" else "in the worker itself"
        print(f"web worker, build {where}: {worker['resting_mb']:.0f} MB at rest, {worker['after_mb']:.0f} MB after "
              f"({grown:+.0f} MB), build {worker['build']:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="also measure at 100,000 terms (slow)")
    parser.add_argument("--keep", type=Path, help="keep the prepared databases in this folder and reuse them")
    parser.add_argument("--postgres", metavar="URL", default="",
                        help="measure on this PostgreSQL database (dropped and made again) rather than SQLite")
    parser.add_argument("--skip-workers", action="store_true", help="leave out the web worker's memory")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)  # mode, workdir, arguments
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(BASE_DIR))
        mode, workdir, *extra = args.child
        run = {"export": run_export, "bare": run_bare, "worker": run_worker}[mode]
        print(json.dumps(run(Path(workdir), *extra)))
        return
    report(bench(args.terms, args.repeat, ("fr", "en", "bilingual"), args.keep, args.postgres, args.skip_workers))
    if args.large:
        report(bench(100000, 1, ("fr", "en", "bilingual"), args.keep, args.postgres, args.skip_workers))


if __name__ == "__main__":
    main()
