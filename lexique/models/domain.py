"""Domains: where in the cultural chain a term lives."""
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Declared with its type: django-modeltranslation swaps the manager's class at run time (lexique/translation.py)
    # for one the type checker cannot see.
    objects: ClassVar[models.Manager["Domain"]] = models.Manager()
    # Its columns of each language, nullable in the database, as django-modeltranslation makes them.
    name_fr: str | None
    name_en: str | None
    description_fr: str | None
    description_en: str | None

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")

    def __str__(self) -> str:
        return self.name


class DomainListing(models.Model):
    """One term of a domain with the keys its pages sort by: a domain's page N is a range of one index.

    Kept by the database itself (triggers in lexique/domain_listing.py) from the terms and their
    domains, so that every writer keeps it right; never written by the application.
    """

    # Not carried by backups: restoring the terms and their domains fills it again.
    kept_by_database = True

    domain_id = models.BigIntegerField()
    term_id = models.BigIntegerField()
    published = models.BooleanField()
    sort_key = models.CharField(max_length=220)
    sort_key_english = models.CharField(max_length=220)
    slug = models.CharField(max_length=220)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain_id", "term_id"], name="domain_listing_unique")]
        indexes = [
            # The term id last: a page's ids come from the index alone.
            models.Index(fields=["domain_id", "sort_key", "slug", "term_id"], condition=models.Q(published=True),
                         name="domain_listing_sorted"),
            models.Index(fields=["domain_id", "sort_key_english", "slug", "term_id"],
                         condition=models.Q(published=True), name="domain_listing_sorted_en"),
            models.Index(fields=["term_id"], name="domain_listing_term"),
        ]
        verbose_name = _("terme d'un domaine (index)")
        verbose_name_plural = _("termes des domaines (index)")
