"""Write a complete, versioned backup of the site's data: lexicon, whole history, logs and accounts."""
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.db import DEFAULT_DB_ALIAS

from lexique.interop.backup import write_backup
from lexique.management.files import write_file
from lexique.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Write every domain, term, revision (in every state), review, log entry and account "
        "(with password hashes and groups) as one JSON backup; import_all restores it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="file to write, or - for standard output")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database to read (default: default)")

    def handle(self, *args: Any, output: str, database: str, **options: Any) -> None:
        if output == "-":
            # write_backup only writes to its stream; it asks for more (IO[str]) than it uses. No bar: standard
            # output is the backup (a terminal shows it as it comes).
            counts = write_backup(_Unbuffered(self.stdout), using=database)  # type: ignore[arg-type]  # write() only
        else:
            counts = self._to_file(Path(output), database)
        # Figures go to standard error, so that `-o -` stays a clean backup.
        self.stderr.write(
            f"Backup: {sum(counts.values())} rows ("
            + ", ".join(f"{label} {count}" for label, count in sorted(counts.items())) + ")",
            style_func=lambda text: text,
        )

    def _to_file(self, target: Path, database: str) -> dict[str, int]:
        def write(temporary: str) -> dict[str, int]:
            with (open(temporary, "w", encoding="utf-8", newline="\n") as stream,
                  progress_bar(self, what="Backing up", unit="row") as progress):
                return write_backup(stream, using=database, progress=progress)

        # Password hashes inside: readable by its owner only, whatever the umask.
        return write_file(target, write, mode=0o600)


class _Unbuffered:
    """The command's standard output, written as is (no line ending added to each write)."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")
