"""Import a CSV, TBX or SKOS file as proposals (or approved revisions) from the shell, all or nothing."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lexique.imports import FORMATS, ImportFileError, import_entries, read_entries
from lexique.services import PermissionDenied


class Command(BaseCommand):
    help = ("Import terms from a CSV, TBX or SKOS file: new headwords become proposals, published ones edit "
            "proposals; nothing is written if any entry is refused.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="the moderator the proposals are made by")
        parser.add_argument("--format", choices=sorted(FORMATS), dest="file_format",
                            help="the file's format (default: from its extension)")
        parser.add_argument("--approve", action="store_true", help="approve every entry at once, as the user's own")
        parser.add_argument("--dry-run", action="store_true", help="say what would happen, write nothing")
        parser.add_argument("--summary", default="", help="summary of the proposals")

    def handle(self, *args, path, user, file_format, approve, dry_run, summary, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        moderator = get_user_model().objects.filter(username=user).first()
        if moderator is None:
            raise CommandError(f"No such user: {user}")
        try:
            with source.open("rb") as handle:
                from lexique.imports.readers import max_bytes

                entries = read_entries(handle.read(max_bytes() + 1), file_format or source.suffix.lower().lstrip("."))
            report = import_entries(entries=entries, by=moderator, approve_now=approve, dry_run=dry_run,
                                    summary=summary)
        except ImportFileError as error:
            raise CommandError("The file cannot be imported, nothing was written:\n" + "\n".join(error.problems)) \
                from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        for outcome in report.outcomes:
            line = f"{outcome.where}: {outcome.headword} — {outcome.action}"
            for message in outcome.messages:
                line += f"\n    {message}"
            self.stdout.write(line)
        totals = ", ".join(f"{report.count(action)} {action}" for action in ("new", "edit", "unchanged", "error"))
        if report.errors:
            raise CommandError(f"Nothing was written: {totals}.")
        self.stdout.write(("Dry run, nothing written: " if dry_run else "Imported: ") + totals + ".")
