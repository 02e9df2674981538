"""The content of a term, shared by a revision (a snapshot) and a term (its published copy)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from lexique.core.content import HEADWORD_MAX_LENGTH, LANGUAGES, TRANSLATED_FIELDS


class TermContent(models.Model):
    headword = models.CharField(_("vedette"), max_length=HEADWORD_MAX_LENGTH)
    definition = models.TextField(_("définition (Markdown)"), blank=True)
    examples = models.TextField(_("exemples d'usage"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    category = models.CharField(
        _("catégorie grammaticale"), max_length=30, blank=True, help_text=_("p. ex. n. m., n. f., v.")
    )
    # [{"title": str, "url": str}]
    sources = models.JSONField(_("sources"), default=list, blank=True)
    # [{"text": str, "lang": "fr"|"en", "status": UsageStatus}]
    synonyms = models.JSONField(_("synonymes"), default=list, blank=True)

    # django-modeltranslation adds one column per language to each translated field (lexique/translation.py),
    # at run time, where the type checker cannot see them; nullable in the database, as it makes them.
    headword_fr: str | None
    headword_en: str | None
    definition_fr: str | None
    definition_en: str | None
    examples_fr: str | None
    examples_en: str | None
    notes_fr: str | None
    notes_en: str | None

    class Meta:
        abstract = True

    @classmethod
    def content_field_names(cls) -> list[str]:
        names = [f"{field}_{lang}" for field in TRANSLATED_FIELDS for lang in LANGUAGES]
        return names + ["category", "sources", "synonyms"]
