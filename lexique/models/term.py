"""Terms: one entry of the lexicon, with a published copy of its current approved revision."""
from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any, ClassVar, Self

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lexique.core.content import LANGUAGES
from lexique.core.text import initial, normalize
from lexique.models.content import TermContent

# Imports and generated lexicons repeat definitions and synonyms: each is normalised once.
_normalize = functools.lru_cache(maxsize=4096)(normalize)


class TermQuerySet(models.QuerySet["Term"]):
    def published(self) -> Self:
        """What readers, the API and the exports may see: approved and not retired."""
        return self.filter(status=Term.Status.PUBLISHED)

    def in_domains(self, slugs: Collection[str]) -> Self:
        return self.filter(domains__slug__in=slugs).distinct() if slugs else self

    def starting_with(self, letter: str, *, lang: str = "fr") -> Self:
        """The terms filed under `letter`: by English headword (French when none) on English pages."""
        if lang == "en":
            return self.filter(initial_english=letter.upper()).order_by("sort_key_english", "slug")
        return self.filter(initial=letter.upper())


# Declared with its type: django-modeltranslation swaps the manager's class at run time (lexique/translation.py)
# for one the type checker cannot see.
TermManager = models.Manager.from_queryset(TermQuerySet)


class Term(TermContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publié")
        RETIRED = "retired", _("retiré")

    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_revision = models.OneToOneField(
        "lexique.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("révision publiée"),
    )
    # Rendered once, when a revision is approved; pages and exports never render it again.
    definition_html = models.TextField(_("définition (HTML)"), blank=True, editable=False)
    examples_html = models.TextField(_("exemples (HTML)"), blank=True, editable=False)
    notes_html = models.TextField(_("notes (HTML)"), blank=True, editable=False)
    domains = models.ManyToManyField("lexique.Domain", blank=True, related_name="terms", verbose_name=_("domaines"))
    related: models.ManyToManyField[Term, Any] = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="related_from", verbose_name=_("termes associés")
    )
    sort_key = models.CharField(_("clé de tri"), max_length=220, db_index=True, editable=False)
    initial = models.CharField(_("lettre"), max_length=1, db_index=True, editable=False)
    # English pages sort and browse by the English headword (the French one when there is none).
    sort_key_english = models.CharField(_("clé de tri (anglais)"), max_length=220, db_index=True, editable=False,
                                        default="")
    initial_english = models.CharField(_("lettre (anglais)"), max_length=1, db_index=True, editable=False,
                                       default="")
    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)
    # PostgreSQL's full-text document, kept by a trigger (lexique/search_index.py); unused elsewhere.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    first_published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("dernière approbation"), null=True, blank=True, db_index=True)
    retired_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects: ClassVar[TermManager[Term]] = TermManager()

    # The HTML columns of each language (django-modeltranslation's, see TermContent).
    definition_html_fr: str | None
    definition_html_en: str | None
    examples_html_fr: str | None
    examples_html_en: str | None
    notes_html_fr: str | None
    notes_html_en: str | None

    class Meta:
        ordering = ["sort_key", "slug"]
        # Browsing walks these in order (keyset pages, counts by letter) without touching other rows.
        indexes = [
            # The id last, so that a page's ids are read from the index alone (an index-only scan).
            models.Index(fields=["sort_key", "slug", "id"], condition=Q(status="published"),
                         name="term_published_sorted"),
            models.Index(fields=["initial", "sort_key", "slug", "id"], condition=Q(status="published"),
                         name="term_published_initial"),
            models.Index(fields=["initial_english", "sort_key_english", "slug", "id"],
                         condition=Q(status="published"), name="term_published_initial_en"),
        ]
        permissions = [("moderate", _("Peut modérer les propositions"))]
        verbose_name = _("terme")
        verbose_name_plural = _("termes")

    def __str__(self) -> str:
        return self.headword_fr or self.slug

    def get_absolute_url(self) -> str:
        return reverse("lexique:term", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def versions(self, first: str | None = None) -> list[dict[str, Any]]:
        """The content in each language that has a headword, `first` language first, for display."""
        order = sorted(LANGUAGES, key=lambda lang: lang != first)
        return [
            {
                "lang": lang,
                "headword": getattr(self, f"headword_{lang}"),
                "definition_html": getattr(self, f"definition_html_{lang}"),
                "examples": getattr(self, f"examples_{lang}"),
                "examples_html": getattr(self, f"examples_html_{lang}"),
                "notes": getattr(self, f"notes_{lang}"),
                "notes_html": getattr(self, f"notes_html_{lang}"),
                "synonyms": [s for s in self.synonyms or [] if s.get("lang") == lang],
            }
            for lang in order
            if getattr(self, f"headword_{lang}")
        ]

    def refresh_keys(self) -> None:
        """Recompute the normalised keys from the published copy."""
        self.sort_key = _normalize(self.headword_fr or "")[:220]
        self.initial = initial(self.sort_key)
        self.sort_key_english = _normalize(self.headword_en or self.headword_fr or "")[:220]
        self.initial_english = initial(self.sort_key_english)
        parts = [self.headword_fr, self.headword_en, self.definition_fr, self.definition_en]
        parts += [synonym.get("text", "") for synonym in self.synonyms or []]
        self.search_text = " ".join(_normalize(part) for part in parts if part)
