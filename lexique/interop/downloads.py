"""What readers download: who asks (for the limits), and the one response that serves a stored file."""
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date

from lexique.platform.clients import client_address

# An edition's files never change: caches may keep them for a year without asking.
IMMUTABLE = "public, max-age=31536000, immutable"


def export_client(request) -> str:
    """Who asks for a book, for the hourly limit on custom ones: the account, else the address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{client_address(request)}"



def file_response(request, stored, languages, media_type):
    """A stored file (a book, a data file, an edition's file); 304 when the reader's copy is current; the headers alone for HEAD."""
    not_modified = get_conditional_response(request, etag=stored.etag, last_modified=int(stored.last_modified))
    if not_modified is not None or request.method == "HEAD":
        stored.file.close()
    if not_modified is not None:
        response = not_modified
    elif request.method == "HEAD":
        response = HttpResponse(content_type=media_type)
        response["Content-Length"] = str(stored.size)
        response["Content-Disposition"] = content_disposition_header(True, stored.download_name)
    else:
        response = FileResponse(stored.file, as_attachment=True, filename=stored.download_name,
                                content_type=media_type)
    response["ETag"] = stored.etag
    response["Last-Modified"] = http_date(stored.last_modified)
    response["Content-Language"] = ", ".join(languages)
    # Anyone may keep a copy, but should ask again (cheaply, with If-None-Match) before reusing it.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def immutable(response):
    """`response` marked as never changing (an edition's file)."""
    response["Cache-Control"] = IMMUTABLE
    return response
