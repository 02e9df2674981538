"""The lexicon application."""
import atexit
import gc

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lexique.platform import checks  # noqa: F401 (registers the system checks; imports no model)


class LexiqueConfig(AppConfig):
    name = "lexique"
    verbose_name = _("Lexique")

    def ready(self):
        from lexique import domain_listing  # noqa: F401 (keeps its SQLite triggers after migrations)

        # Connects the receiver that revokes API tokens when a password changes.
        from lexique.api import tokens  # noqa: F401
        # At exit the interpreter runs several full collections over every object left: with Django
        # loaded, a tenth of a second for each command, only to free memory the system takes back
        # anyway. Frozen objects are passed over (finalizers at exit are not promised either way).
        atexit.register(gc.freeze)
