"""Benchmark of the EPUB export: cold export against ebooklib's own write_epub, peak memory, cached download.

    .venv/bin/python bench/bench_epub.py [--terms 10000] [--repeat 3]

Makes its own throw-away SQLite database (migrate, seed_demo, generate_terms N), then measures in a
child process, so that the memory figure is the export's and not the data generation's.
Targets: cold export <= 3x write_epub of the same book, peak memory < 200 MB, a cached download
does no export work.
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
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VARIANTS = ("fr", "bilingual")


def configure(workdir: Path):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def prepare(workdir: Path, terms: int):
    configure(workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        call_command("generate_terms", terms, stdout=quiet)


def measure(workdir: Path, repeat: int) -> dict:
    configure(workdir)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from ebooklib import epub

    from lexique.exports import EpubExporter, ExportOptions
    from lexique.exports.cache import export_built
    from lexique.models import Term

    results = {"terms": Term.objects.published().count(), "variants": {}}
    out = workdir / "book.epub"
    for lang in VARIANTS:
        exporter = EpubExporter(ExportOptions(lang=lang))
        cold, write = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            exporter.write(out)  # everything: read the published set, lay out, cover, write
            cold.append(time.perf_counter() - started)
            book, options = exporter.build(exporter.snapshot())
            started = time.perf_counter()
            epub.write_epub(str(out), book, options)  # ebooklib alone, on the very same book
            write.append(time.perf_counter() - started)
        results["variants"][lang] = {
            "cold": statistics.median(cold), "write_epub": statistics.median(write), "size": out.stat().st_size,
        }
    results["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tracemalloc.start()
    EpubExporter(ExportOptions(lang="bilingual")).write(out)
    results["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    setup_test_environment()
    client = Client()
    builds = []
    export_built.connect(lambda **kwargs: builds.append(1), weak=False)
    first = client.get("/export/lexique-fr.epub", secure=True)
    b"".join(first.streaming_content)
    timings, queries = [], 0
    for _ in range(20):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/export/lexique-fr.epub", secure=True)
            b"".join(response.streaming_content)
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    results["cached"] = {"median_ms": statistics.median(timings) * 1000, "queries": queries,
                         "builds_after_first": len(builds) - 1, "status": response.status_code}
    return results


def report(results: dict):
    print(f"EPUB export benchmark: {results['terms']} published terms, SQLite")
    print(f"{'variant':<10} {'cold export':>12} {'write_epub':>11} {'ratio':>7} {'size':>9}   target")
    for lang, row in results["variants"].items():
        ratio = row["cold"] / row["write_epub"]
        verdict = "ok" if ratio <= 3 else "MISSED"
        print(f"{lang:<10} {row['cold']:>10.2f} s {row['write_epub']:>9.2f} s {ratio:>6.2f}x "
              f"{row['size'] / 2**20:>6.1f} MB   <= 3x {verdict}")
    peak = results["ru_maxrss_mb"]
    print(f"peak memory of the export process (ru_maxrss): {peak:.0f} MB   < 200 MB {'ok' if peak < 200 else 'MISSED'}")
    print(f"Python heap peak during one cold bilingual export (tracemalloc): {results['tracemalloc_peak_mb']:.0f} MB")
    cached = results["cached"]
    verdict = "ok" if cached["builds_after_first"] == 0 and cached["status"] == 200 else "MISSED"
    print(f"cached download: {cached['median_ms']:.1f} ms (median of 20), {cached['queries']} queries, "
          f"{cached['builds_after_first']} builds   no export work {verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process: a prepared workdir
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.repeat)))
        return
    with tempfile.TemporaryDirectory(prefix="lexique-bench-") as workdir:
        started = time.perf_counter()
        prepare(Path(workdir), args.terms)
        print(f"(data prepared in {time.perf_counter() - started:.1f} s)")
        child = subprocess.run(
            [sys.executable, __file__, "--measure", workdir, "--repeat", str(args.repeat)],
            check=False, capture_output=True, text=True,
        )
        if child.returncode:
            sys.exit(f"the measuring process failed:\n{child.stderr[-4000:]}")
        report(json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
