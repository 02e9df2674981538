"""Terms: one entry of the lexicon, with a published copy of its current approved revision."""
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text import initial, normalize
from .content import TermContent


class TermQuerySet(models.QuerySet):
    def published(self):
        """What readers, the API and the exports may see: approved and not retired."""
        return self.filter(status=Term.Status.PUBLISHED)

    def in_domains(self, slugs):
        return self.filter(domains__slug__in=slugs).distinct() if slugs else self

    def search(self, query):
        """Accent- and case-insensitive match on headwords, synonyms and definitions, on any database."""
        words = normalize(query).split()
        if not words:
            return self.none()
        condition = Q()
        for word in words:
            condition &= Q(search_text__contains=word)
        return self.filter(condition)

    def starting_with(self, letter):
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
    domains = models.ManyToManyField("lexique.Domain", blank=True, related_name="terms", verbose_name=_("domaines"))
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="related_from", verbose_name=_("termes associés")
    )
    sort_key = models.CharField(_("clé de tri"), max_length=220, db_index=True, editable=False)
    initial = models.CharField(_("lettre"), max_length=1, db_index=True, editable=False)
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

    def refresh_keys(self):
        """Recompute the normalised keys from the published copy."""
        self.sort_key = normalize(self.headword_fr)[:220]
        self.initial = initial(self.headword_fr)
        parts = [self.headword_fr, self.headword_en, self.definition_fr, self.definition_en]
        parts += [synonym.get("text", "") for synonym in self.synonyms or []]
        self.search_text = " ".join(normalize(part) for part in parts if part)
