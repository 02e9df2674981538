"""The publication log (what a mirror follows) and the moderation log (who did what, when)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LexiconState(models.Model):
    """One row: the version of the published set, bumped inside every publishing transaction.

    Locking this row serialises publications, so event sequence numbers are handed out in
    commit order: a mirror reading the feed after sequence N can never miss an N+1 that commits later.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("état du lexique")
        verbose_name_plural = _("état du lexique")

    def __str__(self) -> str:
        return f"v{self.version}"

    @classmethod
    def current(cls) -> LexiconState:
        state, _created = cls.objects.get_or_create(pk=1)
        return state


class PublicationEvent(models.Model):
    class Kind(models.TextChoices):
        PUBLISHED = "published", _("publié")
        UPDATED = "updated", _("mis à jour")
        RETIRED = "retired", _("retiré")

    sequence = models.PositiveBigIntegerField(_("séquence"), unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    term = models.ForeignKey("lexique.Term", on_delete=models.PROTECT, related_name="events")
    revision = models.ForeignKey("lexique.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("événement de publication")
        verbose_name_plural = _("événements de publication")

    def __str__(self) -> str:
        return f"{self.sequence} {self.kind} {self.term_id}"


class ModerationLogEntry(models.Model):
    class Action(models.TextChoices):
        PROPOSED = "proposed", _("proposition")
        RESUBMITTED = "resubmitted", _("nouvelle version de la proposition")
        APPROVED = "approved", _("approbation")
        REJECTED = "rejected", _("refus")
        CHANGES_REQUESTED = "changes_requested", _("modifications demandées")
        REVERTED = "reverted", _("retour à une version antérieure")
        RETIRED = "retired", _("retrait")
        WITHDRAWN = "withdrawn", _("proposition retirée par l'auteur")
        COMMENT_HIDDEN = "comment_hidden", _("commentaire masqué")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    term = models.ForeignKey("lexique.Term", on_delete=models.PROTECT, related_name="log_entries")
    revision = models.ForeignKey("lexique.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("entrée du journal de modération")
        verbose_name_plural = _("journal de modération")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
