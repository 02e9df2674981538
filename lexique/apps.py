"""The lexicon application."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LexiqueConfig(AppConfig):
    name = "lexique"
    verbose_name = _("Lexique")
