"""Benchmark of the word diff: 10,000 against 10,000 characters of adversarial text, old against new.

    .venv/bin/python bench/bench_diff.py [--chars 10000] [--repeat 5] [--old-timeout 60]

The old implementation (difflib.SequenceMatcher over words and spaces) is copied below; each of
its runs happens in a child process stopped after --old-timeout seconds, since on some inputs it
would take hours. Target for the new one: well under 100 ms on every input.
"""
import argparse
import difflib
import multiprocessing
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

_OLD_TOKEN = re.compile(r"\s+|[^\s]+")


def old_word_diff(old, new):
    """The word diff as it was: every run of spaces a token, difflib without autojunk."""
    a, b = _OLD_TOKEN.findall(old or ""), _OLD_TOKEN.findall(new or "")
    chunks = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            chunks.append(("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            chunks.append(("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            chunks.append(("insert", "".join(b[j1:j2])))
    return chunks


WORDS = (
    "numérique données métadonnées œuvre public médiation diffusion création plateforme culturelle "
    "organisme artistes spectateurs billetterie archives conservation stratégie usagers contenus "
    "découvrabilité licence libre interopérabilité référentiel catalogue collection musée théâtre"
).split()


def _text(rng, chars, words=WORDS):
    parts, length = [], 0
    while length < chars:
        word = rng.choice(words)
        if rng.random() < 0.08:
            word += "."
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:chars]


def _edited(rng, text):
    """A contributor's edit: about one word in twenty replaced, a few removed or added."""
    words = text.split(" ")
    out = []
    for word in words:
        roll = rng.random()
        if roll < 0.03:
            out.append(rng.choice(WORDS))
        elif roll < 0.04:
            continue
        elif roll < 0.05:
            out.extend([word, rng.choice(WORDS)])
        else:
            out.append(word)
    return " ".join(out)


def cases(chars):
    rng = random.Random(20250101)
    realistic = _text(rng, chars)
    foreign = [f"{c}{d}{e}" for c in "qwz" for d in "0123456789" for e in "jkxy"]
    return {
        "repeated tokens": ("x " * (chars // 2), "x y " * (chars // 4)),
        "reported case (x x x … against a definition)": (realistic, ("x " * (chars // 2))),
        "no shared words": (realistic, _text(rng, chars, foreign)),
        "one long word": ("a" * chars, "a" * (chars // 2) + "b" + "a" * (chars // 2 - 1)),
        "realistic edit": (realistic, _edited(rng, realistic)[:chars]),
    }


def _run_old(old, new, queue):
    start = time.perf_counter()
    old_word_diff(old, new)
    queue.put(time.perf_counter() - start)


def time_old(old, new, timeout):
    """Seconds of one run of the old diff, or None when it did not finish within `timeout`."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_run_old, args=(old, new, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.terminate()
        process.join()
        return None
    return queue.get()


def time_new(word_diff, old, new, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        chunks = word_diff(old, new)
        times.append(time.perf_counter() - start)
    assert "".join(t for op, t in chunks if op != "insert") == old
    assert "".join(t for op, t in chunks if op != "delete") == new
    return statistics.median(times), max(times), chunks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--old-timeout", type=float, default=60)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from lexique.core.diff import word_diff

    print(f"Word diff, {args.chars:,} against {args.chars:,} characters; new: median (max) of {args.repeat} runs")
    print(f"{'input':<46} {'old':>10} {'new':>18} {'ratio':>10} {'chunks':>7}")
    for name, (old, new) in cases(args.chars).items():
        median, worst, chunks = time_new(word_diff, old, new, args.repeat)
        old_seconds = time_old(old, new, args.old_timeout)
        if old_seconds is None:
            old_text, ratio = f"> {args.old_timeout:.0f} s", f"> {args.old_timeout / median:,.0f}×"
        else:
            old_text, ratio = f"{old_seconds:.3f} s", f"{old_seconds / median:,.1f}×"
        new_text = f"{median * 1000:.1f} ms ({worst * 1000:.1f})"
        print(f"{name:<46} {old_text:>10} {new_text:>18} {ratio:>10} {len(chunks):>7}")


if __name__ == "__main__":
    main()
