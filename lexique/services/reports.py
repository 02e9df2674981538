"""Errors reported on a term by visitors without an account: received (bounded per client address), answered
and closed by a moderator, the answer e-mailed to the visitor when they left an address."""
import time

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lexique.core.inputs import clean_text
from lexique.models import ErrorReport, Term
from lexique.models.reports import ANSWER_MAX_LENGTH, REPORT_MAX_LENGTH
from lexique.services.accounts import HOUR_SECONDS, address_key, count_event
from lexique.services.errors import PermissionDenied, RateLimited, ValidationError, WorkflowError
from lexique.services.notifications import notify_reporter
from lexique.services.workflow import can_moderate

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def _text(value: str, field: str) -> str:
    """A text of several lines as every format can write it; its error named after `field`."""
    try:
        return clean_text(value or "", one_line=False).strip()
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _clean_message(message: str) -> str:
    message = _text(message, "message")
    if not message:
        raise ValidationError({"message": [_("Dites quelle est l'erreur.")]})
    if len(message) > REPORT_MAX_LENGTH:
        raise ValidationError({"message": [_("%(count)d caractères au plus (il y en a %(actual)d).")
                                           % {"count": REPORT_MAX_LENGTH, "actual": len(message)}]})
    return message


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": [_("Saisissez une adresse courriel valide, ou laissez le champ vide.")]}) \
                from None
    return email


def _count_against_rate(client: str) -> None:
    """At most ERROR_REPORTS_PER_CLIENT_PER_HOUR reports from one client address an hour (the shared cache)."""
    limit = settings.ERROR_REPORTS_PER_CLIENT_PER_HOUR
    if limit <= 0:
        return
    window = int(time.time() // HOUR_SECONDS)
    if count_event(f"lexique:reports:{window}:{address_key(client)}", HOUR_SECONDS) > limit:
        raise RateLimited(_("Vous avez envoyé beaucoup de signalements en peu de temps : réessayez dans une heure."))


def report_error(*, term: Term, message: str, email: str = "", client: str, language: str = "fr") -> ErrorReport:
    """Record a visitor's report of an error on a published term, for the moderators.

    Everything is checked before anything is written or counted: bad input writes nothing and spends none of
    the client's reports.
    """
    if not term.is_public:
        raise ValidationError(_("Ce terme n'est pas publié."))
    message, email = _clean_message(message), _clean_email(email)
    language = language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE[:2]
    _count_against_rate(client)
    revision = term.current_revision
    return ErrorReport.objects.create(term=term, version=revision.version if revision else None, message=message,
                                      email=email, language=language)


def handle_report(report: ErrorReport, *, by: object, answer: str = "") -> ErrorReport:
    """A moderator closes a report, with an answer that is e-mailed to the visitor if they left an address."""
    if not can_moderate(by):
        raise PermissionDenied(_("Seuls les modérateurs traitent les signalements."))
    answer = _text(answer, "answer")
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError({"answer": [_("%(count)d caractères au plus (il y en a %(actual)d).")
                                          % {"count": ANSWER_MAX_LENGTH, "actual": len(answer)}]})
    with transaction.atomic():
        report = ErrorReport.objects.select_for_update().select_related("term").get(pk=report.pk)
        if report.is_handled:
            raise WorkflowError(_("Ce signalement a déjà été traité."))
        report.answer, report.handled_by, report.handled_at = answer, by, timezone.now()  # type: ignore[assignment]
        report.save(update_fields=["answer", "handled_by", "handled_at"])
        if answer and report.email:
            notify_reporter(report)
    return report
