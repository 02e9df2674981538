"""Make an account a moderator (staff, in the moderators' group), or take the role back with --revoke."""
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lexique.management.commands.seed_demo import make_moderator, moderators_group


class Command(BaseCommand):
    help = "Give an account the moderator role: the moderation pages and the admin (--revoke takes it back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Take the moderator role back.")

    @transaction.atomic
    def handle(self, *args: Any, username: str, revoke: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if revoke:
            user.groups.remove(moderators_group())
            if not user.is_superuser:
                user.is_staff = False
                user.save(update_fields=["is_staff"])
            self.stdout.write(f"{username} is no longer a moderator.")
        else:
            make_moderator(user)
            self.stdout.write(f"{username} is a moderator: the moderation pages and /admin/ are open.")
