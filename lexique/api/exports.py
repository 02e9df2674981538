"""The lexicon as terminology files: /api/v1/export/skos.ttl, skos.rdf, skos.jsonld, terms.tbx,
terms-2008.tbx, terms.csv.

Plain Django views rather than DRF ones: they send a stored file, built at most once per publication
and domain, through the same store, build slots and locks as the e-books.
"""

from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lexique.editions.downloads import edition_file_or_task
from lexique.editions.services import NUMBER_PATTERN, number_error
from lexique.interop.downloads import export_client, export_or_task, file_response, immutable
from lexique.interop.exporters.base import Exporter
from lexique.interop.published import ExportOptions, OptionsError
from lexique.interop.registry import API_FILES, asked_export
from lexique.interop.store import BuildFailed, BuildMismatch, BuildsBusy, ExportFailed, TooManyCustomBuilds
from lexique.models import Edition
from lexique.platform.errors import error_body
from lexique.platform.queue import TaskStatus

FILE_PATTERN = "|".join(name.replace(".", r"\.") for name in API_FILES)


def _error(status: int, code: str, detail: str, errors: dict[str, list[str]] | None = None,
           retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse(error_body(status, code, detail, errors), status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _failed(failure: BuildFailed) -> JsonResponse:
    """A build that failed for this state of the lexicon: said at once, until it changes or the delay ends."""
    return _error(503, "build_failed", _("Ce fichier n'a pas pu être préparé à partir de l'état actuel du lexique ; "
                                         "l'équipe du lexique en est avertie. Il sera préparé de nouveau après la "
                                         "prochaine publication."), retry_after=failure.retry_after)


@require_safe
def export_file(request: HttpRequest, file_name: str) -> HttpResponseBase:
    """The whole published lexicon, or one domain of it (?domain=slug), in the format of `file_name`;
    with ?edition=2026.1, the whole lexicon as that edition froze it, the same bytes for ever."""
    exporter_class = API_FILES[file_name]
    if "edition" in request.GET:
        return _edition_file(request, exporter_class)
    unknown = sorted(set(request.GET) - {"domain"})
    if unknown:
        return _error(400, "invalid", _("Paramètre inconnu : %(names)s.") % {"names": ", ".join(unknown)[:100]},
                      {name: [_("Paramètre inconnu.")] for name in unknown[:10]})
    # One domain at most: every variant is a stored file, so their number stays that of the domains.
    domains = request.GET.getlist("domain")
    if len(domains) > 1:
        return _error(400, "invalid", _("Un seul domaine à la fois."), {"domain": [_("Un seul domaine à la fois.")]})
    try:
        _exporter, options = asked_export(exporter_class.name, domains=domains)
    except OptionsError as error:
        return _error(400, "invalid", str(error), {"domain": [str(error)]})
    try:
        stored = export_or_task(options, exporter_class, client=export_client(request),
                                location=request.get_full_path())
    except (BuildsBusy, TooManyCustomBuilds) as refusal:
        return _error(503, "busy", _("Le fichier est en préparation ; réessayez dans quelques secondes."),
                      retry_after=refusal.retry_after)
    except BuildFailed as failure:
        return _failed(failure)
    except ExportFailed as failure:
        return _error(503, "unavailable", _("Le fichier ne peut pas être préparé pour le moment."),
                      retry_after=failure.retry_after)
    if isinstance(stored, TaskStatus):
        return accepted(request, stored)
    return file_response(request, stored, options.languages, exporter_class.media_type)


def accepted(request: HttpRequest, status: TaskStatus) -> JsonResponse:
    """202: the file is being built by the task queue; its status (and then its address) at `Location`."""
    address = request.build_absolute_uri(reverse("api:task", kwargs={"identifier": status.id}))
    response = JsonResponse({**status.as_json(), "status": address}, status=202)
    response["Location"] = address
    response["Retry-After"] = "2"
    response["Cache-Control"] = "no-store"
    return response


def _edition_file(request: HttpRequest, exporter_class: type[Exporter]) -> HttpResponseBase:
    others = sorted(set(request.GET) - {"edition"})
    if others:
        message = _("Une édition se télécharge entière, sans autre paramètre : %(names)s.") % {
            "names": ", ".join(others)[:100]}
        return _error(400, "invalid", message, {"edition": [message]})
    number = request.GET["edition"]
    if not NUMBER_PATTERN.fullmatch(number):
        message = number_error()
        return _error(400, "invalid", message, {"edition": [message]})
    edition = Edition.objects.filter(number=number).first()
    if edition is None:
        return _error(404, "not_found", _("Édition inconnue : %(number)s.") % {"number": number})
    options = ExportOptions(lang="bilingual", edition=edition.number)
    try:
        stored = edition_file_or_task(edition, exporter_class, options, location=request.get_full_path())
    except BuildsBusy as refusal:
        return _error(503, "busy", _("Le fichier est en préparation ; réessayez dans quelques secondes."),
                      retry_after=refusal.retry_after)
    except BuildMismatch:
        response = _error(500, "mismatch", _("Ce fichier de l'édition ne peut pas être refait à l'identique : "
                                             "il n'est pas servi. L'équipe du lexique en est avertie."))
        response["Cache-Control"] = "no-store"
        return response
    except BuildFailed as failure:
        return _failed(failure)
    except ExportFailed as failure:
        return _error(503, "unavailable", _("Le fichier ne peut pas être préparé pour le moment."),
                      retry_after=failure.retry_after)
    if isinstance(stored, TaskStatus):
        return accepted(request, stored)
    return immutable(file_response(request, stored, options.languages, exporter_class.media_type))
