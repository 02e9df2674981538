"""Suggestions: the former query on the terms table beside the table of keys, query by query (ms).

    DATABASE_URL=postgres://... python bench/bench_suggestions.py [--terms 100000] [--repeat 20]

Generates the terms once (generate_terms) into an empty database, adds the issue's examples, then prints
for each query the median time and the first suggestion of each, side by side.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from lexique.models import Term  # noqa: E402
from lexique.search import ranking, suggestions  # noqa: E402

QUERIES = [
    "financement participatif", "participatif", "decouvrabilite des oeuvres", "réseau social",
    "l'oeuvre", "l’œuvre", "loeuvre", "oeuvre",  # apostrophes and ligatures
    "med", "numé", "plat", "donn", "dig", "écos", "infon",  # prefixes
    "metadonees", "plateforem",  # typos
    "open data", "cultural heritage",  # English on a French page
    "xylophone", "zqwv",  # absent
    "financement participatif " * 6,  # long
]
EXAMPLES = [("financement participatif", "crowdfunding"), ("découvrabilité des œuvres", "discoverability of works"),
            ("réseau social", "social network"), ("l'œuvre d'art", "artwork")]


def timed(function, query, repeat):
    function(query)  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        found = function(query)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), (found[0].headword_fr if found else "—")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--terms", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Term.objects.count() < args.terms:
        call_command("generate_terms", str(args.terms), verbosity=0)
        from tests.support.factories import publish_term  # the services' path: the table follows each approval
        for headword_fr, headword_en in EXAMPLES:
            publish_term(headword_fr=headword_fr, headword_en=headword_en)
    print(f"{Term.objects.published().count()} published terms; median / max ms over {args.repeat} runs")
    print(f"{'query':32} {'before':>15} {'after':>15}  first before / first after")
    for query in QUERIES:
        before = timed(lambda q: ranking.suggest_terms(q), query, args.repeat)
        after = timed(lambda q: suggestions.suggest(q), query, args.repeat)
        print(f"{query[:32]:32} {before[0]:7.1f} /{before[1]:6.1f} {after[0]:7.1f} /{after[1]:6.1f}  "
              f"{before[2][:28]} / {after[2][:28]}")


if __name__ == "__main__":
    main()
