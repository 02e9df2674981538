"""Request bodies, site-wide: one size limit everywhere, uploads bounded by the page, chunked bodies read whole."""
import io
from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream, WSGIRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as gettext_now

from lexique.platform.errors import error_body

# Proposals are text of a few thousand characters; nothing legitimate comes near this.
MAX_BODY_BYTES = 256 * 1024


def body_limit() -> int:
    """The largest body accepted, in bytes: Django's DATA_UPLOAD_MAX_MEMORY_SIZE (set from MAX_BODY_BYTES)."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or MAX_BODY_BYTES



def _refusal(request: HttpRequest, status_code: int, code: str, detail: str) -> HttpResponse:
    """The API's JSON error under /api/, plain text elsewhere."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body(status_code, code, detail), status=status_code)
    else:
        response = HttpResponse(detail, status=status_code, content_type="text/plain; charset=utf-8")
    return response


# Room for a form's other fields beside its file.
FORM_FIELDS_BYTES = 64 * 1024


def page_body_limit(path: str) -> int:
    """The largest body a page accepts: a logo on any page (the downloads form), a glossary on the import page.

    Django does not count uploaded files against DATA_UPLOAD_MAX_MEMORY_SIZE and writes them to disk before
    any view looks at them, so what may be uploaded is bounded here, from the declared length.
    """
    if path.rstrip("/").endswith("/moderation/import"):
        return settings.LEXIQUE_IMPORT_MAX_BYTES + FORM_FIELDS_BYTES
    return max(body_limit(), settings.LEXIQUE_LOGO_MAX_BYTES + FORM_FIELDS_BYTES)


class BodyLimitMiddleware:
    """Before anything reads a body: over-long API bodies are a 413, chunked ones are read whole or refused.

    Django reads only Content-Length bytes, so a chunked body would look empty. When the server says
    the body ends where the request ends (gunicorn sets wsgi.input_terminated), it is read here, up to
    the limit; other servers (runserver) cannot tell, so the request is refused with 411.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: WSGIRequest) -> HttpResponse:
        return self.check(request) or self.get_response(request)

    def check(self, request: WSGIRequest) -> HttpResponse | None:
        # On the API, the API's JSON error rather than Django's RequestDataTooBig (a 400 page, or a 500
        # inside DRF); on the pages, the largest upload the page takes.
        limit = body_limit() if request.path.startswith("/api/") else page_body_limit(request.path)
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            if declared.isdigit() and int(declared) > limit:
                return _refusal(request, 413, "too_large", gettext_now("Le corps de la requête est trop volumineux."))
            return None
        if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return None
        if not request.environ.get("wsgi.input_terminated"):
            return _refusal(request, 411, "length_required", gettext_now(
                "Corps en Transfer-Encoding: chunked non pris en charge par ce serveur : envoyez Content-Length."))
        body = _read_at_most(request.environ["wsgi.input"], limit + 1)
        if len(body) > limit:
            return _refusal(request, 413, "too_large", gettext_now("Le corps de la requête est trop volumineux."))
        # From here on the request looks as if it had been sent with its length.
        request.META["CONTENT_LENGTH"] = str(len(body))
        # As WSGIRequest does itself; the stubs declare a BinaryIO, which LimitedStream is not.
        request._stream = LimitedStream(io.BytesIO(body), len(body))  # type: ignore[assignment]  # WSGIRequest's
        return None


def _read_at_most(stream: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    while total < size:
        chunk = stream.read(size - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)
