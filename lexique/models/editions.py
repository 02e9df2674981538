"""Numbered editions: the list of approved revisions published under a number, frozen for ever."""
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EditionImmutableError(Exception):
    """Raised when code tries to change or delete an edition once published."""


class FrozenQuerySet(models.QuerySet[Any]):
    """An edition is cited by its number: what it holds never changes and is never deleted."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise EditionImmutableError(_("Une édition publiée ne change jamais."))

    def delete(self) -> NoReturn:
        raise EditionImmutableError(_("Une édition publiée n'est jamais supprimée."))


class _Frozen(models.Model):
    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise EditionImmutableError(_("Une édition publiée ne change jamais."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise EditionImmutableError(_("Une édition publiée n'est jamais supprimée."))


class Edition(_Frozen):
    """A numbered edition ("2026.1"): which revision of each published term it holds, and what its
    exports need besides (the domains as they were named then), so that every export of it is a pure
    function of what is stored here."""

    number = models.CharField(_("numéro"), max_length=20, unique=True)
    note = models.TextField(_("note d'édition"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("publiée par")
    )
    # The published set it was frozen from: its version and the time of its last change.
    lexicon_version = models.PositiveBigIntegerField(_("version du lexique"))
    lexicon_changed_at = models.DateTimeField(_("dernière publication"), null=True, blank=True)
    # [{"id", "slug", "name_fr", "name_en"}] in the site's order: a domain renamed later keeps its
    # old name in the edition.
    domains = models.JSONField(_("domaines"), default=list)
    # {"fr": {"name", "title"}, "en": {...}}: the site's name and title when the edition was published,
    # as its files print them; empty for an edition published before they were kept.
    names = models.JSONField(_("noms du lexique"), default=dict, blank=True)
    # The rules its books were written by (interop.published.BOOK_RULES when it was published; 0 for an
    # edition published before they were kept), so that a book of it says what it said when first built.
    book_rules = models.PositiveSmallIntegerField(_("règles des livres"), default=0)
    # The typographic convention of its books (LEXIQUE_TYPOGRAPHY when it was published); France's for an
    # edition published before it was kept, as its books were.
    typography = models.CharField(_("typographie"), max_length=10, default="france")
    term_count = models.PositiveIntegerField(_("termes"))
    authors = models.PositiveIntegerField(_("auteurs"))
    moderators = models.PositiveIntegerField(_("modérateurs"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("édition")
        verbose_name_plural = _("éditions")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("lexique:edition", kwargs={"number": self.number})


class EditionEntry(_Frozen):
    """One term of an edition: the approved revision it was published at, and its links then."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="entries")
    term = models.ForeignKey("lexique.Term", on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey("lexique.Revision", on_delete=models.PROTECT, related_name="+")
    slug = models.CharField(_("identifiant"), max_length=220)
    # The French sort key, so that pages of an edition come in reading order from the database.
    sort_key = models.CharField(_("clé de tri"), max_length=220)
    domain_slugs = models.JSONField(_("domaines"), default=list)
    related_slugs = models.JSONField(_("termes associés"), default=list)
    first_published_at = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        ordering = ["edition", "sort_key", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "term"], name="unique_edition_term"),
            models.UniqueConstraint(fields=["edition", "slug"], name="unique_edition_slug"),
        ]
        indexes = [models.Index(fields=["edition", "sort_key", "slug"])]
        verbose_name = _("terme d'une édition")
        verbose_name_plural = _("termes d'une édition")

    def __str__(self) -> str:
        return f"{self.edition_id}:{self.slug}"


class EditionFile(_Frozen):
    """The digest of one file of an edition, recorded when the file was first built.

    Every later build of that file (after its stored copy was lost, on another host) must give these
    very bytes; one that does not is refused, never served. Append-only, as the edition.
    """

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="files")
    # The file's name at its permanent address: lexique-fr.epub, lexique-skos.ttl...
    name = models.CharField(_("fichier"), max_length=100)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("taille en octets"))
    built_at = models.DateTimeField(_("fabriqué le"))

    class Meta:
        ordering = ["edition", "name"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="unique_edition_file")]
        verbose_name = _("fichier d'une édition")
        verbose_name_plural = _("fichiers d'une édition")

    def __str__(self) -> str:
        return f"{self.edition_id}:{self.name}"
