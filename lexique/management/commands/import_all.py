"""Restore a backup made by export_all into an empty, migrated database: all of it or nothing."""
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from lexique.interop.backup import BackupError, read_backup
from lexique.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_all into an empty, migrated database, keeping every "
        "primary key; refuses a database that holds data, an unknown format and a damaged file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup written by export_all")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database to restore into (default: default)")

    def handle(self, *args: Any, file: str, database: str, **options: Any) -> None:
        try:
            with (open(file, encoding="utf-8", newline="\n") as stream,
                  progress_bar(self, what="Restoring", unit="row") as progress):
                counts = read_backup(stream, using=database, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"Not a Lexique backup: {file} is not UTF-8 text.") from error
        except BackupError as error:
            raise CommandError(f"Nothing was restored. {error}") from error
        self.stdout.write(
            f"Restored {sum(counts.values())} rows ("
            + ", ".join(f"{label} {count}" for label, count in sorted(counts.items())) + ")."
        )
