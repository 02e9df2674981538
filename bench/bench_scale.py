"""Benchmark of reading at the size of a national terminology bank, each figure beside its bare SQL.

    .venv/bin/python bench/bench_scale.py                        # 10,000 and 100,000 terms, SQLite
    DATABASE_URL=postgres://lexique:lexique@127.0.0.1:5498/postgres .venv/bin/python bench/bench_scale.py
    .venv/bin/python bench/bench_scale.py --terms 100000 --million --samples 20 --keep /tmp/scale

For each size, prepares a database (SQLite: a file; PostgreSQL: a database `lexique_scale_<N>` next
to the one DATABASE_URL names, reused when it already holds the terms): migrate, seed_demo,
generate_terms N. Then, in a child process that runs the whole Django stack in-process (middleware,
views, templates, DRF; no HTTP server), it times each kind of request with the cache emptied before
each sample but the per-version figures (counts) kept, as a reader pays after a publication:

- web search and API search for 20 realistic queries (common words, accents both ways, typos, two
  words, English, a rare word, no match), suggestions, letter pages (first and last), domain pages
  (first and last), term pages, home, the API list (first, deepest numbered page, a keyset cursor),
  changes/ (first and last cursor);
- beside each, the same requests' SQL run bare through the database driver (what the page would
  cost if Django, templates and serialisers cost nothing): the floor of that plan;
- the cached answer (a second request, same version) and the recount done once per version;
- the French e-book export in a child process: its time and peak memory.

On PostgreSQL the lexicon's tables and indexes are first read into the system's memory with
pg_prewarm (mode 'read'), as on a server that has been serving for a while or restarts with
autoprewarm (docs/deployment.md): the figures are then those of the site, not of the disk's first
reads. The extension has to be created once in the database by a superuser
(`CREATE EXTENSION pg_prewarm;`); without it, or with --cold, the report says the reads were cold.

EXPLAIN plans of the searches are written to bench/plans/<database>-<N>/ (EXPLAIN ANALYZE, BUFFERS on
PostgreSQL; EXPLAIN QUERY PLAN on SQLite).
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
PYTHON = sys.executable
QUERIES = [
    "données", "numérique", "médiation", "collection", "public",  # common words
    "metadonnees", "decouvrabilite", "écosystème", "ecosysteme",  # accents both ways
    "numerisaton", "mediaton", "plateforem",  # typos
    "médiation numérique", "données ouvertes", "patrimoine musées",  # two words
    "digital", "audience",  # English
    "infonuagique",  # a rarer word
    "xylophone", "zqwv",  # no match
]
SUGGESTIONS = ["med", "numé", "plat", "donn", "arch", "coll", "dig", "écos", "bill", "infon",
               # the shapes: phrases, a word's start, apostrophes and ligatures, English on a French
               # page, typos, absent words, a long input
               "financement participatif", "participatif", "decouvrabilite des oeuvres", "réseau social",
               "l'oeuvre", "l’œuvre", "loeuvre", "open data", "metadonees", "plateforem", "xylophone",
               "financement participatif " * 6]
# The targets at 1,000,000 terms on PostgreSQL (p95, ms); SQLite: search at 100,000.
TARGETS = {"search": 50, "API search": 50, "suggestions": 20, "letter": 100, "domain": 100, "term": 20,
           "home": 50, "API list": 50, "changes": 50}


def prepare(url, count, env):
    """Migrate, seed and generate `count` terms unless the database holds them already."""
    env = {**env, "DATABASE_URL": url}
    probe = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from lexique.models import Term; print(Term.objects.filter(slug__startswith='synthetique-').count())"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )
    held = int((probe.stdout.split() or ["0"])[-1]) if probe.returncode == 0 else 0
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    if held == count:
        return None
    subprocess.run([PYTHON, "manage.py", "seed_demo", "-v0"], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", "generate_terms", str(count - held)], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def database_url(kind, count, workdir):
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'scale-{count}.sqlite3'}"
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"lexique_scale_{count}"
    with psycopg.connect(url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def export_figures(env):
    """(seconds, peak MB) of a cold French e-book export, in a process of its own."""
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        process = subprocess.run([PYTHON, "manage.py", "export_epub", "--lang", "fr", "-o", f"{out}/book.epub"],
                                 cwd=BASE_DIR, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if process.returncode:
        return elapsed, None, process.stderr[-300:]
    # ru_maxrss of the children is the largest of them: comparable only if this one is the largest so far.
    return elapsed, peak / 1024 if peak > before else None, ""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# ---------------------------------------------------------------------------------------------------
# The child: the Django stack in-process, on one database.


def prewarm(connection) -> str:
    """The lexicon's relations (tables, their TOAST and indexes) read into the system's page cache with
    pg_prewarm; what was done, for the report."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm'")
        if not cursor.fetchone():
            return "cold: pg_prewarm is not in this database (as a superuser: CREATE EXTENSION pg_prewarm)"
        started = time.perf_counter()
        cursor.execute("""
            WITH tables AS (
                SELECT c.oid, c.reltoastrelid FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'lexique\\_%%'
            ), relations AS (
                SELECT oid FROM tables
                UNION SELECT reltoastrelid FROM tables WHERE reltoastrelid <> 0
                UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM tables)
                UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT reltoastrelid FROM tables)
            )
            SELECT count(*), coalesce(sum(pg_prewarm(oid, 'read')), 0) FROM relations
        """)
        relations, blocks = cursor.fetchone()
    return (f"prewarmed: {relations} relations, {blocks * 8 / 1024:,.0f} MB read into the page cache "
            f"in {time.perf_counter() - started:.0f} s")


def child(samples, plans_dir, cold=False):
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lexique import selectors
    from lexique.models import Domain, PublicationEvent, Term
    from lexique.search.ranking import matching_terms

    client = Client()
    vendor = connection.vendor

    def warm_figures():
        for lang in ("fr", "en"):
            selectors.letters_with_counts(lang=lang)
        selectors.domains_with_published_counts()
        selectors.published_count()

    def bare(sqls):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
        return time.perf_counter() - started

    def measure(urls):
        """(app times, bare SQL times, cached times) over `urls`, each request uncached but for the figures."""
        app, floor, cached = [], [], []
        for url in urls:
            cache.clear()
            warm_figures()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                app.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            sqls = [query["sql"] for query in captured if query["sql"].lstrip().upper().startswith("SELECT")]
            floor.append(bare(sqls))
            started = time.perf_counter()
            client.get(url)
            cached.append(time.perf_counter() - started)
        return app, floor, cached

    def repeat(urls, count):
        return [urls[i % len(urls)] for i in range(count)]

    published = Term.objects.published()
    letter, letter_count = max(selectors.letters_with_counts(), key=lambda item: item[1])
    domain = max(selectors.domains_with_published_counts(), key=lambda item: item.published_count)
    total = published.count()
    last_event = PublicationEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:samples]) if vendor == "sqlite" else [
        slug for (slug,) in _random_slugs(connection, samples)]
    import urllib.parse

    def query_urls(path, queries, name="q"):
        return [f"{path}?{urllib.parse.urlencode({name: query})}" for query in queries]

    checks = {
        "search": query_urls("/recherche/", QUERIES),
        "API search": query_urls("/api/v1/terms/", QUERIES),
        "suggestions": repeat(query_urls("/recherche/suggestions/", SUGGESTIONS), samples),
        "letter (first page)": repeat([f"/lettres/{letter}/"], samples),
        "letter (last page)": repeat([f"/lettres/{letter}/?page={max(1, -(-letter_count // 50))}"], samples),
        "domain (first page)": repeat([f"/domaines/{domain.slug}/"], samples),
        "domain (last page)": repeat([f"/domaines/{domain.slug}/?page={max(1, -(-domain.published_count // 50))}"],
                                     samples),
        "term": [f"/termes/{slug}/" for slug in slugs],
        "home": repeat(["/"], samples),
        "API list (first page)": repeat(["/api/v1/terms/?page_size=100"], samples),
        "API list (deepest page)": repeat([f"/api/v1/terms/?page_size=100&page={max(1, -(-total // 100))}"], samples),
        "API list (cursor)": repeat(["/api/v1/terms/?page_size=100&cursor="], samples),
        "changes (first)": repeat(["/api/v1/changes/"], samples),
        "changes (last)": repeat([f"/api/v1/changes/?cursor={max(0, last_event - 100)}"], samples),
    }
    memory = "SQLite: the file as the system caches it" if vendor == "sqlite" else (
        "cold: --cold" if cold else prewarm(connection))
    # A served site answers many requests per process: its first one (templates compiled, URLs
    # resolved, connections opened) is not what a reader pays.
    for url in ("/", "/recherche/?q=warm", "/api/v1/terms/?q=warm", "/domaines/", f"/termes/{slugs[0]}/"):
        client.get(url)
    results = {}
    for name, urls in checks.items():
        app, floor, cached = measure(urls)
        results[name] = {
            "p50": statistics.median(app) * 1000, "p95": percentile(app, 0.95) * 1000,
            "sql_p50": statistics.median(floor) * 1000, "sql_p95": percentile(floor, 0.95) * 1000,
            "cached_p50": statistics.median(cached) * 1000,
        }
    cache.clear()
    started = time.perf_counter()
    warm_figures()
    results["recount once per version"] = {"p50": (time.perf_counter() - started) * 1000}

    plans_dir.mkdir(parents=True, exist_ok=True)
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for index, query in enumerate(QUERIES):
        # Every query the search makes (candidates' ids, dearer kinds of match, the ranked page).
        with CaptureQueriesContext(connection) as captured:
            list(matching_terms(Term.objects.published(), query)[:20])
        sections = [f"-- {query}"]
        with connection.cursor() as cursor:
            for captured_query in captured:
                cursor.execute(explain + captured_query["sql"])
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                sections.append(f"{captured_query['sql']}\n\n{plan}\n")
        (plans_dir / f"search-{index:02d}.txt").write_text("\n".join(sections))
    results["_info"] = {"terms": total, "vendor": vendor, "memory": memory, "domains": Domain.objects.count(), "letter": letter,
                        "letter_terms": letter_count, "domain": domain.slug, "domain_terms": domain.published_count}
    print(json.dumps(results))


def _random_slugs(connection, count):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM lexique_term TABLESAMPLE SYSTEM (1) WHERE status = 'published' LIMIT %s", [count]
        )
        return cursor.fetchall()


def report(kind, count, figures, generated, export):
    info = figures.pop("_info")
    print(f"\n## {kind}, {info['terms']:,} published terms (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    print(f"database in memory: {info['memory']}")
    if generated is not None:
        print(f"generate_terms: {generated:.0f} s")
    print(f"letter {info['letter']}: {info['letter_terms']:,} terms; domain {info['domain']}: "
          f"{info['domain_terms']:,} terms")
    print(f"{'request':28} {'p50 ms':>8} {'p95 ms':>8} {'bare SQL p50':>13} {'p95':>7} {'cached p50':>11}")
    for name, row in figures.items():
        if "p95" not in row:
            print(f"{name:28} {row['p50']:8.1f}")
            continue
        print(f"{name:28} {row['p50']:8.1f} {row['p95']:8.1f} {row['sql_p50']:13.1f} {row['sql_p95']:7.1f} "
              f"{row['cached_p50']:11.1f}")
    seconds, peak, error = export
    memory = f"{peak:.0f} MB peak" if peak else "peak not measured"
    print(f"French e-book export: {seconds:.1f} s, {memory}" + (f" (failed: {error})" if error else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--terms", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also 1,000,000 terms (slow to generate)")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"],
                        help="default: PostgreSQL when DATABASE_URL names one, else SQLite")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep the SQLite files in this folder and reuse them")
    parser.add_argument("--no-export", action="store_true", help="skip the e-book export")
    parser.add_argument("--cold", action="store_true",
                        help="PostgreSQL: measure without reading the database into memory first")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), Path(args.child[1]), cold=args.child[2] == "cold")
        return
    kinds = {"both": ["sqlite", "postgresql"], None: ["postgresql" if os.environ.get("DATABASE_URL") else "sqlite"]}
    kinds = kinds.get(args.database, [args.database])
    sizes = args.terms + ([1_000_000] if args.million else [])
    base_env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-scale-" + "x" * 40, "ALLOWED_HOSTS": "testserver",
                "SITE_URL": "http://testserver", "API_STATE_SECONDS": "1", "DJANGO_SETTINGS_MODULE": "config.settings",
                "SECURE_SSL_REDIRECT": "0"}
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        # Production settings serve hashed static files: collect them once, as a deployment does.
        base_env["STATIC_ROOT"] = str(workdir / "static")
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR,
                       env={**base_env, "DATABASE_URL": f"sqlite:///{workdir / 'static.sqlite3'}"}, check=True)
        for kind in kinds:
            for count in sizes:
                url = database_url(kind, count, workdir)
                prepare_env = {**base_env, "DEBUG": "1"}
                generated = prepare(url, count, prepare_env)
                env = {**base_env, "DATABASE_URL": url}
                plans = BASE_DIR / "bench" / "plans" / f"{kind}-{count}"
                process = subprocess.run([PYTHON, __file__, "--child", str(args.samples), str(plans),
                                          "cold" if args.cold else "warm"], cwd=BASE_DIR,
                                         env=env, capture_output=True, text=True)
                if process.returncode:
                    print(process.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(process.returncode)
                figures = json.loads(process.stdout.strip().splitlines()[-1])
                export = (0.0, None, "skipped") if args.no_export else export_figures({**prepare_env,
                                                                                        "DATABASE_URL": url})
                report(kind, count, figures, generated, export)


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    main()
