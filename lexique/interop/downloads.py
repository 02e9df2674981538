"""What readers download: who asks (for the limits), and the one response that serves a stored file."""
from collections.abc import Iterable
from typing import TypeVar

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date

from lexique.interop.store import StoredExport
from lexique.platform import files
from lexique.platform.clients import client_address

_Response = TypeVar("_Response", bound=HttpResponseBase)

# An edition's files never change: caches may keep them for a year without asking.
IMMUTABLE = "public, max-age=31536000, immutable"


def export_client(request: HttpRequest) -> str:
    """Who asks for a book, for the hourly limit on custom ones: the account, else the address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{client_address(request)}"


def file_response(request: HttpRequest, stored: StoredExport, languages: Iterable[str],
                  media_type: str) -> HttpResponseBase:
    """A stored file (a book, a data file, an edition's file); 304 when the reader's copy is current; the headers
    alone for HEAD.

    A local file is streamed from its open handle. A file in a bucket is answered by a redirect (302) to a
    presigned address of the bucket, valid for LEXIQUE_FILES_URL_SECONDS, that gives the same name and
    type: a book of any size then costs the web worker one HEAD to the bucket, not the time of the
    reader's download, and the bucket (or a CDN in front of it) serves ranges and resumes.
    """
    not_modified = get_conditional_response(request, etag=stored.etag, last_modified=int(stored.last_modified))
    if not_modified is not None or request.method == "HEAD":
        stored.close()
    response: HttpResponseBase
    if not_modified is not None:
        response = not_modified
    elif request.method == "HEAD":
        response = HttpResponse(content_type=media_type)
        response["Content-Length"] = str(stored.size)
        disposition = content_disposition_header(True, stored.download_name)  # always one for an attachment
        if disposition is not None:
            response["Content-Disposition"] = disposition
    elif stored.file is None:
        response = HttpResponseRedirect(files.served_at(stored.name, download_name=stored.download_name,
                                                        media_type=media_type))
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
