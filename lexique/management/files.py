"""How the commands write a file for the person who runs them: whole or not at all, with that person's umask."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.management.base import CommandError

Written = TypeVar("Written")


def current_umask() -> int:
    """The process's umask (reading it means setting it: it is put back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def shell_file_mode() -> int:
    """The permissions of a file the commands write: what any shell tool gives a new file, 0o666 less the umask.

    The person who runs the command decides who may read its output (umask 022 gives 0o644, 077 keeps it
    private); a command never makes a file more public than that. Backups, holding password hashes, are
    the one exception (`export_all` keeps them to their owner).
    """
    return 0o666 & ~current_umask()


def write_file(target: Path, write: Callable[[str], Written], *, mode: int | None = None) -> Written:
    """Call `write(path)` on a file beside `target`, then move it into place: a failure leaves no half file.

    Returns what `write` returned. `mode` defaults to `shell_file_mode()`.
    """
    if not target.parent.is_dir():
        raise CommandError(f"No such directory: {target.parent}")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    try:
        written = write(temporary)
        os.chmod(temporary, shell_file_mode() if mode is None else mode)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return written
