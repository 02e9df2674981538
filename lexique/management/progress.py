"""Progress bars of the long commands: on a terminal only, so that logs, pipes and cron mail stay quiet."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from tqdm import tqdm

# A step reported as (done, total); total None when not known in advance.
Progress = Callable[[int, int | None], None]


def on_terminal(command: BaseCommand) -> bool:
    """True when the command's standard output is a terminal and it was not asked to be quiet."""
    isatty = getattr(command.stdout, "isatty", None)
    return bool(isatty and isatty()) and getattr(command, "verbosity", 1) > 0


@contextmanager
def progress_bar(command: BaseCommand, *, what: str, unit: str, total: int | None = None) -> Iterator[Progress]:
    """A bar on standard error while the block runs (nothing off a terminal); yields the function that
    moves it to (done, total)."""
    bar = tqdm(total=total, desc=what, unit=unit, file=sys.stderr, disable=not on_terminal(command),
               dynamic_ncols=True, leave=False)

    def move(done: int, total: int | None = None) -> None:
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield move
    finally:
        bar.close()
