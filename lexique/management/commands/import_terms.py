"""Import a CSV, TBX or SKOS file as proposals (or approved revisions) from the shell, all or nothing."""
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lexique.interop.importers import FORMATS, ImportFileError, import_entries, read_entries
from lexique.interop.importers.readers import max_bytes
from lexique.interop.importers.service import NEW, Decisions, file_source
from lexique.management.progress import progress_bar
from lexique.services import PermissionDenied


def _pair(value: str) -> tuple[int, str]:
    number, _equals, answer = value.partition("=")
    if not number.isdigit() or not answer:
        raise CommandError(f"Expected ENTRY=ANSWER (entries numbered from 1), got {value!r}")
    return int(number) - 1, answer


class Command(BaseCommand):
    help = ("Import terms from a CSV, TBX or SKOS file: new headwords become proposals, published ones edit "
            "proposals; nothing is written if any entry is refused.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="the moderator the proposals are made by")
        parser.add_argument("--format", choices=sorted(FORMATS), dest="file_format",
                            help="the file's format (default: from its extension)")
        parser.add_argument("--approve", action="store_true", help="approve every entry at once, as the user's own")
        parser.add_argument("--dry-run", action="store_true", help="say what would happen, write nothing")
        parser.add_argument("--summary", default="", help="summary of the proposals")
        parser.add_argument("--match", action="append", default=[], metavar="N=new|SLUG",
                            help="entry N (from 1), whose headword is like a published one's, is a new term or "
                                 "the published term SLUG")
        parser.add_argument("--keep", action="append", default=[], metavar="N=M",
                            help="of the entries that repeat entry N (from 1), import entry M")
        parser.add_argument("--clear-empty", action="store_true",
                            help="clear the published fields that the file leaves empty (kept by default)")
        parser.add_argument("--skip-refused", action="store_true",
                            help="import the accepted entries and leave the refused ones out (by default, one "
                                 "refused entry and nothing is written)")

    def handle(self, *args: Any, path: str, user: str, file_format: str | None, approve: bool, dry_run: bool,
               summary: str, match: list[str], keep: list[str], clear_empty: bool, skip_refused: bool,
               **options: Any) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        moderator = get_user_model().objects.filter(username=user).first()
        if moderator is None:
            raise CommandError(f"No such user: {user}")
        decisions = Decisions(
            matches={index: answer for index, answer in map(_pair, match)},
            keep={index: int(answer) - 1 for index, answer in map(_pair, keep) if answer.isdigit()},
            clear_empty=clear_empty, skip_refused=skip_refused)
        try:
            with source.open("rb") as handle:
                data = handle.read(max_bytes() + 1)
            entries = read_entries(data, file_format or source.suffix.lower().lstrip("."))
            with progress_bar(self, what="Importing", unit="step") as progress:
                report = import_entries(entries=entries, by=moderator, approve_now=approve, dry_run=dry_run,
                                        summary=summary, decisions=decisions, source=file_source(source.name, data),
                                        progress=progress)
        except ImportFileError as error:
            raise CommandError("The file cannot be imported, nothing was written:\n" + "\n".join(error.problems)) \
                from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        for outcome in report.outcomes:
            line = f"{outcome.index + 1}. {outcome.where}: {outcome.headword} — {outcome.action}"
            for message in outcome.messages:
                line += f"\n    {message}"
            for candidate in outcome.candidates:
                line += f"\n    --match {outcome.index + 1}={NEW} or --match {outcome.index + 1}={candidate.slug}"
            if outcome.action == "repeated":
                line += "\n    " + " or ".join(
                    f"--keep {outcome.index + 1}={index + 1}" for index, _where in outcome.repeats)
            self.stdout.write(line)
        totals = ", ".join(f"{report.count(action)} {action}"
                           for action in ("new", "edit", "unchanged", "repeat", "error"))
        if report.questions:
            raise CommandError(f"Nothing was written: {len(report.questions)} question(s) to answer with --match "
                               f"or --keep ({totals}).")
        if report.errors and not report.written:
            raise CommandError(f"Nothing was written: {totals}. --skip-refused imports the others.")
        self.stdout.write(("Dry run, nothing written: " if dry_run else "Imported: ") + totals + ".")
