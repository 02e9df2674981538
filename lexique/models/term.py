"""Terms: one entry of the lexicon, with a published copy of its current approved revision."""
from django.db import connection, models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..search import TYPO_MAX_MATCHES, TYPO_SCAN_LIMIT, allowed_edits, close_matches, query_key
from ..text import initial, normalize
from .content import LANGUAGES, TermContent


# How close a typed word must be to a headword (pg_trgm word similarity) to count as a typo of it.
TYPO_SIMILARITY = 0.5


class TermQuerySet(models.QuerySet):
    def published(self):
        """What readers, the API and the exports may see: approved and not retired."""
        return self.filter(status=Term.Status.PUBLISHED)

    def in_domains(self, slugs):
        return self.filter(domains__slug__in=slugs).distinct() if slugs else self

    def search(self, query, *, lang="fr"):
        """Accent- and case-insensitive search on headwords, synonyms and definitions, best first.

        Every database matches the normalised words and, for a word or two typed with a mistake, the
        headwords within a few edits (a bounded pass in Python); PostgreSQL adds French and English
        full-text search (stemming, unaccent) and trigram similarity. Headwords of `lang` rank first.
        """
        key = query_key(query)
        words = key.split()
        if not words:
            return self.none()
        substring = Q()
        for word in words:
            substring &= Q(search_text__contains=word)
        sort_field = "sort_key_english" if lang == "en" else "sort_key"
        headword_rank = Case(
            When(**{sort_field: key}, then=Value(3)),
            When(**{f"{sort_field}__startswith": key}, then=Value(2)),
            When(**{f"{sort_field}__contains": key}, then=Value(1)),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        if connection.vendor != "postgresql":
            typos = self.typo_matches(key)
            return self.filter(substring | Q(pk__in=list(typos))).annotate(
                headword_rank=headword_rank
            ).order_by("-headword_rank", sort_field)
        return self._postgresql_search(query, key, substring, headword_rank, sort_field)

    def typo_matches(self, key):
        """{id: edits} of the terms whose French or English headword is a few typing mistakes from `key`."""
        if not allowed_edits(key):
            return {}
        rows = self.order_by().values_list("pk", "sort_key", "sort_key_english")[:TYPO_SCAN_LIMIT]
        found = close_matches(key, ((pk, name) for pk, *names in rows for name in dict.fromkeys(names)))
        return dict(sorted(found.items(), key=lambda item: item[1])[:TYPO_MAX_MATCHES])

    def _postgresql_search(self, query, key, substring, headword_rank, sort_field):
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity

        vector = SearchVector("headword_fr", "definition_fr", config="lexique_fr") + SearchVector(
            "headword_en", "definition_en", config="lexique_en"
        )
        text_query = SearchQuery(query, config="lexique_fr", search_type="plain") | SearchQuery(
            query, config="lexique_en", search_type="plain"
        )
        return (
            self.annotate(
                headword_rank=headword_rank,
                similarity=TrigramWordSimilarity(key, sort_field),
                document=vector,
                text_rank=SearchRank(vector, text_query),
            )
            .filter(substring | Q(document=text_query) | Q(similarity__gte=TYPO_SIMILARITY))
            .order_by("-headword_rank", "-similarity", "-text_rank", sort_field)
        )

    def starting_with(self, letter, *, lang="fr"):
        """The terms filed under `letter`: by English headword (French when none) on English pages."""
        if lang == "en":
            return self.filter(initial_english=letter.upper()).order_by("sort_key_english", "slug")
        return self.filter(initial=letter.upper())


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
    related = models.ManyToManyField(
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

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    first_published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("dernière approbation"), null=True, blank=True, db_index=True)
    retired_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "slug"]
        permissions = [("moderate", _("Peut modérer les propositions"))]
        verbose_name = _("terme")
        verbose_name_plural = _("termes")

    def __str__(self):
        return self.headword_fr or self.slug

    def get_absolute_url(self):
        return reverse("lexique:term", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    def versions(self, first=None):
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

    def refresh_keys(self):
        """Recompute the normalised keys from the published copy."""
        self.sort_key = normalize(self.headword_fr)[:220]
        self.initial = initial(self.headword_fr)
        self.sort_key_english = normalize(self.headword_en or self.headword_fr)[:220]
        self.initial_english = initial(self.headword_en or self.headword_fr)
        parts = [self.headword_fr, self.headword_en, self.definition_fr, self.definition_en]
        parts += [synonym.get("text", "") for synonym in self.synonyms or []]
        self.search_text = " ".join(normalize(part) for part in parts if part)
