"""Errors reported on a term by visitors without an account, and the moderators' answers."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lexique.models.term import Term

# What a report may hold: a few sentences, enough to say what is wrong and why.
REPORT_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 3000


class ErrorReportQuerySet(models.QuerySet["ErrorReport"]):
    def open(self) -> "ErrorReportQuerySet":
        return self.filter(handled_at__isnull=True)


class ErrorReport(models.Model):
    """A visitor's report of an error on a term: open until a moderator marks it handled (with an answer,
    e-mailed to the visitor when they left an address)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("terme"))
    # The version the visitor was reading (the term may have changed since).
    version = models.PositiveIntegerField(_("version lue"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=REPORT_MAX_LENGTH)
    email = models.EmailField(_("adresse courriel"), blank=True)
    # The language of the page the report was sent from: the answer is written to the visitor in it.
    language = models.CharField(_("langue"), max_length=2, choices=settings.LANGUAGES, default="fr")
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    answer = models.TextField(_("réponse"), blank=True, max_length=ANSWER_MAX_LENGTH)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("traité par"))
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["handled_at", "created_at"], name="lexique_report_open")]

    def __str__(self) -> str:
        return f"{self.term_id}: {self.message[:40]}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
