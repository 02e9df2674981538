"""The shape of a term's content: its languages, its translated and Markdown fields, its usage statuses."""
from django.db import models
from django.utils.translation import gettext_lazy as _

HEADWORD_MAX_LENGTH = 200
# What a revision's summary may hold: longer ones are refused everywhere (pages, API, imports), never cut.
SUMMARY_MAX_LENGTH = 300

# The fields a revision snapshots and a term mirrors; the translated ones get _fr and _en columns.
TRANSLATED_FIELDS = ("headword", "definition", "examples", "notes")
LANGUAGES = ("fr", "en")
# Markdown fields whose HTML a term stores beside the source, rendered once when a revision is published.
MARKDOWN_FIELDS = ("definition", "examples", "notes")


class UsageStatus(models.TextChoices):
    """Normative status of a headword or synonym, after TBX's normativeAuthorization."""

    PREFERRED = "preferred", _("privilégié")
    ADMITTED = "admitted", _("admis")
    NOT_RECOMMENDED = "not_recommended", _("déconseillé")
