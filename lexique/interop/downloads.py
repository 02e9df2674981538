"""What readers download: who asks (for the limits), and the one response that serves a stored file."""
from collections.abc import Iterable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date

from lexique.interop.store import Quota, StoredExport
from lexique.platform.clients import client_address

_Response = TypeVar("_Response", bound=HttpResponseBase)

# An edition's files never change: caches may keep them for a year without asking.
IMMUTABLE = "public, max-age=31536000, immutable"


def export_client(request: HttpRequest) -> Quota:
    """Who asks for a book, for the hourly limit on custom ones: the client's address, and its account when
    signed in, each with its own counter (the tighter wins, so throw-away accounts from one address gain
    nothing); an account younger than a day has a smaller allowance."""
    limit = settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR
    counters = [(f"address:{client_address(request)}", limit)]
    user = request.user
    if user.is_authenticated:
        young = user.date_joined > timezone.now() - timedelta(days=1)
        counters.append((f"user:{user.pk}", min(limit, settings.LEXIQUE_NEW_ACCOUNT_EXPORTS_PER_HOUR) if young
                         else limit))
    return tuple(counters)


def file_response(request: HttpRequest, stored: StoredExport, languages: Iterable[str],
                  media_type: str) -> HttpResponseBase:
    """A stored file (a book, a data file, an edition's file); 304 when the reader's copy is current; the headers
    alone for HEAD."""
    not_modified = get_conditional_response(request, etag=stored.etag, last_modified=int(stored.last_modified))
    if not_modified is not None or request.method == "HEAD":
        stored.file.close()
    response: HttpResponseBase
    if not_modified is not None:
        response = not_modified
    elif request.method == "HEAD":
        response = HttpResponse(content_type=media_type)
        response["Content-Length"] = str(stored.size)
        disposition = content_disposition_header(True, stored.download_name)  # always one for an attachment
        if disposition is not None:
            response["Content-Disposition"] = disposition
    else:
        response = FileResponse(stored.file, as_attachment=True, filename=stored.download_name,
                                content_type=media_type)
    response["ETag"] = stored.etag
    response["Last-Modified"] = http_date(stored.last_modified)
    response["Content-Language"] = ", ".join(languages)
    # Anyone may keep a copy, but should ask again (cheaply, with If-None-Match) before reusing it.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def immutable(response: _Response) -> _Response:
    """`response` marked as never changing (an edition's file)."""
    response["Cache-Control"] = IMMUTABLE
    return response
