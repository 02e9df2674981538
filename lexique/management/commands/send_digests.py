"""Send the daily digests: one e-mail per person who chose one summary a day (run it once a day)."""
from typing import Any

from django.core.management.base import BaseCommand

from lexique.services.notifications import send_digests


class Command(BaseCommand):
    help = "Send each person who chose a daily digest the notices gathered since the last one."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
