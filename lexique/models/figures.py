"""The published set's figures (how many terms, per letter, per domain), kept by the database itself."""
from django.db import models


class PublishedFigure(models.Model):
    """One figure of the published set: `total` terms of `kind` (all, initial, initial_english, domain)
    named `name` (a letter, a domain's id; empty for all).

    Kept by triggers (lexique/publishing/figures.py) on the terms and the domains' listing, in the
    transaction that changes them, so that the home page and the lists never count the whole set.
    """

    # Not carried by backups: restoring the terms and their domains fills it again.
    kept_by_database = True

    kind = models.CharField(max_length=20)
    name = models.CharField(max_length=40)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="published_figure_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}: {self.total}"
