"""One mapping from every error to a JSON body: {status, code, detail, errors}, never an HTML page."""
import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lexique.api.parsers import RequestTooLarge
from lexique.api.serializers import diff_as_json
from lexique.core.diff import revision_diff
from lexique.models import RevisionImmutableError
from lexique.platform.errors import error_body
from lexique.platform.outage import is_database_outage, unavailable_response
from lexique.publishing import citations
from lexique.selectors import Retirement
from lexique.services import ConflictError, UnknownReferenceError, WorkflowError
from lexique.services.errors import error_message

logger = logging.getLogger("django.request")


class UnknownReference(exceptions.NotFound):
    """A proposal names a revision, domain or term that does not exist (404, with the fields at fault)."""

    default_code = "unknown_reference"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_("La proposition fait référence à un élément qui n'existe pas."))
        self.errors = errors


class DuplicateTerm(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "duplicate"

    def __init__(self, detail: str, term_url: str | None) -> None:
        super().__init__(detail)
        self.term_url = term_url


class TermRetired(exceptions.APIException):
    """A term that was published and is retired: 410, with when, why and its last version (still citable)."""

    status_code = status.HTTP_410_GONE
    default_code = "retired"

    def __init__(self, retirement: Retirement, *, request: Request) -> None:
        super().__init__(_("Ce terme a été retiré du lexique."))
        last = retirement.last_version
        self.extra = {
            "slug": retirement.term.slug,
            "retired_at": retirement.retired_at.isoformat().replace("+00:00", "Z") if retirement.retired_at else None,
            "reason": retirement.reason,
            "last_version": None if last is None else {
                "version": last.version,
                "url": request.build_absolute_uri(
                    reverse("lexique:term-version", kwargs={"slug": retirement.term.slug, "version": last.version})),
                "citation": citations.citation_text(retirement.term, last),
            },
            "related": [
                request.build_absolute_uri(reverse("api:term-detail", kwargs={"slug": term.slug}))
                for term in retirement.related
            ],
        }


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structures as {"field.sub.0": [messages]}: one shape for every client."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "non_field_errors" if key in ("__all__", "non_field_errors") and not prefix else key
            flat.update(flatten_errors(value, f"{prefix}.{name}" if prefix else str(name)))
    elif isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        for index, value in enumerate(detail):
            if value:
                flat.update(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        items = detail if isinstance(detail, list) else [detail]
        flat.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in items)
    return flat


def _conflict(error: ConflictError, context: dict[str, Any]) -> Response:
    proposal, current = error.revision, error.current
    return Response(
        error_body(
            409, "conflict", error.message,
            base_revision=proposal.base_revision_id,
            current_revision=current.pk if current else None,
            # What was published since the proposal's base: approving it would undo this.
            diff=diff_as_json(revision_diff(proposal.base_revision, current)),
        ),
        status=409,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | JsonResponse:
    if is_database_outage(exc):
        logger.error("API unavailable on %s", getattr(context.get("request"), "path", "?"), exc_info=exc)
        unavailable = unavailable_response()
        # Django's flag: logged once, with the cause, not twice.
        unavailable._has_been_logged = True  # type: ignore[attr-defined]  # not in the stubs
        return unavailable
    if isinstance(exc, ConflictError):
        return _conflict(exc, context)
    if isinstance(exc, (WorkflowError, RevisionImmutableError)):
        message = error_message(exc) if isinstance(exc, WorkflowError) else str(exc)
        return Response(error_body(409, "workflow", message), status=409)
    if isinstance(exc, UnknownReferenceError):
        exc = UnknownReference(flatten_errors(exc.message_dict))
    elif isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(errors)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()  # Django's own limit, met when something reads the body before the parser

    response = drf_exception_handler(exc, context)
    if response is None:
        # A bug, not the client's fault: log it for the admins, answer JSON without internals.
        request = context.get("request")
        logger.error("API error on %s", getattr(request, "path", "?"), exc_info=exc)
        return Response(error_body(500, "server_error", _("Erreur interne du serveur.")), status=500)

    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(response.status_code, "invalid", _("Les données envoyées ne sont pas valides."),
                                   flatten_errors(response.data))
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        unknown = exc.errors if isinstance(exc, UnknownReference) else None
        extra = {"term": exc.term_url} if isinstance(exc, DuplicateTerm) else getattr(exc, "extra", {})
        response.data = error_body(response.status_code, code, detail, unknown, **extra)
    return response


@csrf_exempt  # a 404 whatever the method, not a CSRF page
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown addresses under /api/: the same JSON error as everywhere else in the API."""
    return JsonResponse(error_body(404, "not_found", _("Adresse inconnue dans l'API.")), status=404)
