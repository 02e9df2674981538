"""Every page kind through HTTP at the size of a national terminology bank, as its first reader gets it.

    .venv/bin/python bench/bench_scale.py --database postgresql --terms 1000000 ...   # prepares the data
    DATABASE_URL=postgres://lexique:lexique@127.0.0.1:5498/lexique_scale_1000000 \\
        .venv/bin/python bench/bench_http_scale.py [--samples 40] [--cold CLUSTER]

The site runs under gunicorn (4 workers, production settings: DEBUG=0, collected static files, Redis
cache when a Redis answers on 6379) on the database DATABASE_URL names, which must already hold the
lexicon (bench_scale.py prepares one; `generate_terms 1000000` on a migrated, seeded database too).

Before each request the published set's version is moved on (as a publication does, by SQL), so no
per-version cache helps: every figure is that of the first reader after a publication. Requests are
made one at a time, from one client: the figures are the server's latency, not a queue's.

The queries mix the shapes readers type: common words, accents both ways, typos, phrases, English on
the French page, apostrophes and ligatures, absent words, a long input. Each kind's p50 / p95 / p99 is
printed beside the goal (p95 ms) and the load average of the machine during the run.

Prewarmed (default): the lexicon's tables and indexes are read into PostgreSQL's buffers first with
pg_prewarm, as after hours of serving. With `--cold CLUSTER` (a Debian cluster name such as `scale`),
the cluster is restarted first and nothing is read before the run but what autoprewarm
(shared_preload_libraries=pg_prewarm, docs/deployment.md) loads back by itself, and the workers start
cold too (prewarmed, each worker has first served each kind of page once, untimed).
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import PYTHON, Site, free_port  # noqa: E402 (the sibling script's HTTP client)

BASE_DIR = Path(__file__).resolve().parent.parent

SEARCHES = [
    "données", "numérique", "médiation", "collection", "public", "musée",  # common words
    "metadonnees", "decouvrabilite", "ÉCOSYSTÈME", "ecosysteme",  # accents and case both ways
    "numerisaton", "mediaton", "plateforem", "metadonees",  # typos
    "médiation numérique", "données ouvertes", "patrimoine musées", "financement participatif",  # phrases
    "réseau social", "decouvrabilite des oeuvres",
    "digital", "audience", "cloud computing", "open data", "museum",  # English on the French page
    "l'œuvre", "l’oeuvre", "droits d'auteur",  # apostrophes and ligatures
    "infonuagique", "infolettres",  # rarer words, a plural
    "xylophone", "zqwv", "digital asset", "quantique xylophone",  # absent words
    "financement participatif " * 6,  # a long input, cut to its first words
]
SUGGESTIONS = ["med", "numé", "plat", "donn", "arch", "coll", "dig", "écos", "bill", "infon",
               "financement participatif", "participatif", "decouvrabilite des oeuvres", "réseau social",
               "l'oeuvre", "l’œuvre", "loeuvre", "open data", "metadonees", "plateforem", "xylophone",
               "financement participatif " * 6]
GOALS = {"web search": 50, "web search (en)": 50, "API search": 50, "suggestions": 20}
OTHER_GOAL = 100


def paths(db) -> dict[str, list[str]]:
    """Each kind of request and the addresses it is sampled from."""
    slugs = [row[0] for row in db.execute(
        "SELECT slug FROM lexique_term WHERE status = 'published' ORDER BY random() LIMIT 200")]
    domains = [row[0] for row in db.execute("SELECT slug FROM lexique_domain ORDER BY position, slug")]
    sizes = dict(db.execute("SELECT name, total FROM lexique_publishedfigure WHERE kind = 'initial'").fetchall())
    letter = max(sizes, key=sizes.get)
    domain_sizes = dict(db.execute("SELECT d.slug, f.total FROM lexique_publishedfigure f JOIN lexique_domain d"
                                   " ON CAST(d.id AS TEXT) = f.name WHERE f.kind = 'domain'").fetchall())
    domain = max(domain_sizes, key=domain_sizes.get)
    letter_pages, domain_pages = -(-sizes[letter] // 50), -(-domain_sizes[domain] // 50)
    total = db.execute("SELECT total FROM lexique_publishedfigure WHERE kind = 'all'").fetchone()[0]
    api_pages = -(-total // 50)
    return {
        "home": ["/", "/en/"],
        "web search": [f"/recherche/?q={quote(q)}" for q in SEARCHES],
        "web search (en)": [f"/en/recherche/?q={quote(q)}" for q in SEARCHES],
        "API search": [f"/api/v1/terms/?q={quote(q)}" for q in SEARCHES]
                      + [f"/api/v1/terms/?q={quote(q)}&lang=en" for q in SEARCHES[20:25]],
        "suggestions": [f"/recherche/suggestions/?q={quote(q)}" for q in SUGGESTIONS],
        "term page": [f"/termes/{slug}/" for slug in slugs],
        "letter page, first/middle/last": [f"/lettres/{letter}/", f"/lettres/{letter}/?page={letter_pages // 2}",
                                           f"/lettres/{letter}/?page={letter_pages}"],
        "domains": ["/domaines/"],
        "domain page, first/middle/last": [f"/domaines/{domain}/", f"/domaines/{domain}/?page={domain_pages // 2}",
                                           f"/domaines/{domain}/?page={domain_pages}",
                                           *[f"/domaines/{slug}/?page=40" for slug in domains]],
        "API list, first/middle/cursor": ["/api/v1/terms/?page_size=50",
                                          f"/api/v1/terms/?page_size=50&page={api_pages // 2}",
                                          "/api/v1/terms/?page_size=50&cursor="],
        "API term": [f"/api/v1/terms/{slug}/" for slug in slugs],
        "API changes": ["/api/v1/changes/?page_size=50"],
        "Atom feeds": ["/flux/nouveaux-termes.atom", "/flux/mises-a-jour.atom"],
        "sitemap.xml": ["/sitemap.xml"],
        "sitemap file": [],  # filled from the index
    }


# The Redis database this benchmark's cache uses (flushed at its start).
CACHE_REDIS_DB = 5


def redis_cache() -> str | None:
    """CACHE_URL for the run: Redis database CACHE_REDIS_DB on 6379, flushed, if Redis answers; else None."""
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=CACHE_REDIS_DB, socket_timeout=2).flushdb()
        return f"redis://127.0.0.1:6379/{CACHE_REDIS_DB}"
    except Exception as error:  # noqa: BLE001 -- no Redis is a configuration this benchmark also runs in
        print(f"Redis is not reachable ({error}); the cache is each worker's local memory.")
        return None


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def start_site(env: dict, workdir: Path):
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)
    port = free_port()
    log = open(workdir / "gunicorn.log", "wb")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "60"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    site = Site(port, timeout=120)
    site.origin = time.monotonic()
    deadline = time.monotonic() + 60
    while site.request(None, "GET", "/api/v1/").status != 200:
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError(f"gunicorn did not start; its log:\n{(workdir / 'gunicorn.log').read_text()[-3000:]}")
        time.sleep(0.3)
    return site, server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=40, help="requests per kind")
    parser.add_argument("--cold", metavar="CLUSTER", help="restart this Debian cluster first; no explicit prewarm")
    options = parser.parse_args()
    database_url = os.environ["DATABASE_URL"]

    import psycopg

    if options.cold:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", options.cold, "restart"], check=True)
        time.sleep(1)
    with psycopg.connect(database_url, autocommit=True) as db:
        if options.cold:
            state = "cold: cluster restarted, only what autoprewarm loads back"
        else:
            try:
                db.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
                db.execute("SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c JOIN pg_namespace n"
                           " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm')")
                state = "prewarmed (pg_prewarm 'read' of every table and index)"
            except psycopg.Error as error:
                state = f"not prewarmed ({error})"
        kinds = paths(db)
        held = db.execute("SELECT count(*) FROM lexique_term WHERE status = 'published'").fetchone()[0]

    workdir = Path(tempfile.mkdtemp(prefix="lexique-bench-http-"))
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
        "SECRET_KEY": "http-scale-benchmark-only-" + os.urandom(16).hex(), "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://lexique.example.org", "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"), "LOG_LEVEL": "WARNING", "SECURE_PROXY_SSL": "1",
        "API_THROTTLE_ANON": "1000000/minute",
        # Every request reads the version, which the run moves on before each one.
        "API_STATE_SECONDS": "0",
    }
    cache_url = redis_cache()
    if cache_url:
        env["CACHE_URL"] = cache_url
    site, server = start_site(env, workdir)
    rng = random.Random(7)
    results: dict[str, list[float]] = {}
    slowest: dict[str, list[tuple[float, str]]] = {}
    statuses: dict[str, set[int]] = {}
    loads = [load_average()]
    try:
        index = site.request(None, "GET", "/sitemap.xml")
        files = [urlsplit(loc.decode())._replace(scheme="", netloc="").geturl()
                 for loc in re.findall(rb"<loc>([^<]+)</loc>", index.body)]
        kinds["sitemap file"] = [files[0], files[len(files) // 2], files[-1]] if files else []
        if not options.cold:
            # As a server that has been serving: each worker has rendered each kind of page once.
            for addresses in kinds.values():
                for path in addresses[:1] * 8:
                    site.request(None, "GET", path, headers={"Accept": "*/*"})
        with psycopg.connect(database_url, autocommit=True) as db:
            for kind, addresses in kinds.items():
                if not addresses:
                    continue
                times = []
                slowest[kind] = []
                for sample in range(options.samples):
                    path = addresses[sample % len(addresses)] if sample < len(addresses) else rng.choice(addresses)
                    # A publication's effect on every cache: the next request is its first reader.
                    db.execute("UPDATE lexique_lexiconstate SET version = version + 1, changed_at = now()"
                               " WHERE id = 1")
                    started = time.perf_counter()
                    answer = site.request(None, "GET", path, headers={"Accept": "*/*"})
                    times.append(1000 * (time.perf_counter() - started))
                    slowest[kind].append((times[-1], path))
                    statuses.setdefault(kind, set()).add(answer.status)
                results[kind] = times
                loads.append(load_average())
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\n{held:,} published terms, PostgreSQL {state}; gunicorn 4 workers, DEBUG=0, "
          f"cache {'Redis' if cache_url else 'local memory'}; {options.samples} requests per kind, one at a time, "
          f"each the first after a publication")
    print(f"load average (1, 5, 15 min) before and after: {loads[0]} / {loads[-1]}")
    print(f"{'request':34} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'goal p95':>9}  statuses")
    for kind, times in results.items():
        goal = GOALS.get(kind, OTHER_GOAL)
        p95 = percentile(times, 0.95)
        print(f"{kind:34} {statistics.median(times):7.0f} {p95:7.0f} {percentile(times, 0.99):7.0f} "
              f"{max(times):7.0f} {goal:>6} {'ok' if p95 <= goal else 'OVER'}  {sorted(statuses[kind])}")
    print("\nthe slowest requests of each kind over its goal (ms):")
    for kind, samples in slowest.items():
        over = sorted(sample for sample in samples if sample[0] > GOALS.get(kind, OTHER_GOAL))[::-1][:3]
        if over:
            print(f"  {kind}: " + ", ".join(f"{ms:.0f} {unquote(path)}" for ms, path in over))


if __name__ == "__main__":
    main()
