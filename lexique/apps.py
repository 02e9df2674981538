"""The lexicon application."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LexiqueConfig(AppConfig):
    name = "lexique"
    verbose_name = _("Lexique")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
        from . import domain_listing  # noqa: F401 (keeps its SQLite triggers after migrations)
        # Connects the receiver that revokes API tokens when a password changes.
        from .api import tokens  # noqa: F401
