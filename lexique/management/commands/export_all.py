"""Write a complete, versioned backup of the site's data: lexicon, whole history, logs and accounts."""
import contextlib
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from lexique.interop.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write every domain, term, revision (in every state), review, log entry and account "
        "(with password hashes and groups) as one JSON backup; import_all restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="file to write, or - for standard output")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database to read (default: default)")

    def handle(self, *args, output, database, **options):
        if output == "-":
            counts = write_backup(_Unbuffered(self.stdout), using=database)
        else:
            counts = self._to_file(Path(output), database)
        # Figures go to standard error, so that `-o -` stays a clean backup.
        self.stderr.write(
            f"Backup: {sum(counts.values())} rows ("
            + ", ".join(f"{label} {count}" for label, count in sorted(counts.items())) + ")",
            style_func=lambda text: text,
        )

    def _to_file(self, target, database):
        if not target.parent.is_dir():
            raise CommandError(f"No such directory: {target.parent}")
        # Written beside the target and moved into place, so a failure never leaves half a backup.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                counts = write_backup(stream, using=database)
            os.chmod(temporary, 0o600)  # password hashes inside: readable by its owner only
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return counts


class _Unbuffered:
    """The command's standard output, written as is (no line ending added to each write)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text):
        self.wrapper.write(text, ending="")
