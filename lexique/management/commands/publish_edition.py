"""Publish a numbered edition of the lexicon: the published set frozen under a number, for ever."""
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lexique.editions.services import publish_edition

# Its receiver prepares the comparison with the edition before, once the edition is committed (web processes
# and workers load it with the views and the tasks; the app does not, a second of every command's start).
from lexique.editions.tasks import publish_edition_task  # noqa: F401
from lexique.management.progress import progress_bar
from lexique.services import PermissionDenied, ValidationError, WorkflowError, error_message


class Command(BaseCommand):
    help = "Freeze the published terms under an edition number (e.g. 2026.1), as the moderator named by --by."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="The edition's number: digits and dots, e.g. 2026.1.")
        parser.add_argument("--note", default="", help="What distinguishes this edition (shown on its page).")
        parser.add_argument("--by", required=True, help="Username of the moderator who publishes it.")

    def handle(self, *args: Any, number: str, note: str, by: str, **options: Any) -> None:
        moderator = get_user_model().objects.filter(username=by).first()
        if moderator is None:
            raise CommandError(f"No account named {by!r}.")
        try:
            with progress_bar(self, what="Publishing", unit="entry") as progress:
                edition = publish_edition(number=number, note=note, by=moderator, progress=progress)
        except (ValidationError, WorkflowError, PermissionDenied) as error:
            raise CommandError(error_message(error)) from error
        self.stdout.write(f"Edition {edition.number} published: {edition.term_count} terms, "
                          f"{edition.get_absolute_url()}")
