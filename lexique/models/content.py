"""The content of a term, shared by a revision (a snapshot) and a term (its published copy)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from lexique.core.content import HEADWORD_MAX_LENGTH, LANGUAGES, TRANSLATED_FIELDS, Region
from lexique.core.grammar import GRAMMAR_FIELD_NAMES, Gender, PartOfSpeech


class TermContent(models.Model):
    headword = models.CharField(_("vedette"), max_length=HEADWORD_MAX_LENGTH)
    definition = models.TextField(_("définition (Markdown)"), blank=True)
    examples = models.TextField(_("exemples d'usage"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The headword's grammar and region in each language, as controlled values (lexique.core.grammar).
    part_of_speech_fr = models.CharField(_("partie du discours (français)"), max_length=20, blank=True,
                                         choices=PartOfSpeech.choices)
    gender_fr = models.CharField(_("genre (français)"), max_length=10, blank=True, choices=Gender.choices)
    region_fr = models.CharField(_("région d'usage (français)"), max_length=10, blank=True, choices=Region.choices)
    part_of_speech_en = models.CharField(_("partie du discours (anglais)"), max_length=20, blank=True,
                                         choices=PartOfSpeech.choices)
    gender_en = models.CharField(_("genre (anglais)"), max_length=10, blank=True, choices=Gender.choices)
    region_en = models.CharField(_("région d'usage (anglais)"), max_length=10, blank=True, choices=Region.choices)
    # What the values above cannot say of the French headword ("n. m. pl.", "v. tr."), word for word.
    category = models.CharField(
        _("catégorie grammaticale"), max_length=30, blank=True, help_text=_("p. ex. n. m. pl., v. tr.")
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
        return names + [*GRAMMAR_FIELD_NAMES, "category", "sources", "synonyms"]
