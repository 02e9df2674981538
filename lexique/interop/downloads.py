"""What readers download: who asks (for the limits), the one response that serves a stored file, and the
stored file or the task building it."""
from collections.abc import Iterable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from redis.exceptions import RedisError

from lexique.interop.exporters.base import Exporter
from lexique.interop.published import ExportOptions
from lexique.interop.store import (
    RETRY_AFTER_SECONDS,
    BuildFailed,
    BuildMismatch,
    ExportFailed,
    Quota,
    StoredExport,
    TooManyCustomBuilds,
    check_quota,
    export_dir,
    export_name,
    get_export,
    logger,
    previous_export,
    refuse_if_failed,
    stored_export,
)
from lexique.interop.tasks import build_export_task, options_data
from lexique.platform import files
from lexique.platform.clients import client_address
from lexique.platform.queue import TaskStatus, enqueue, forget, queue_enabled, task_id, task_status

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


def export_or_task(options: ExportOptions, exporter_class: type[Exporter], *, client: Quota | None,
                   location: str) -> StoredExport | TaskStatus:
    """The stored file for `options`, or the status of the task building it.

    A file stored for the current published set is served at once. Otherwise its build is sent to the
    task queue (once, however many ask) and, while it runs, the previous edition of the file is served if
    there is one, else the task's status (`location` serves the file once built). Without a task queue the
    file is built here, as a single process does. A build that failed raises BuildFailed (BuildMismatch);
    a custom book over the hour's allowance TooManyCustomBuilds; a store that cannot be read ExportFailed.
    """
    if not queue_enabled():
        return get_export(options, exporter_class, client=client)
    try:
        return _export_or_task(options, exporter_class, client=client, location=location)
    except (OSError, RedisError) as error:
        logger.exception("Export store %s unusable", export_dir())
        raise ExportFailed(str(error)) from error


def _export_or_task(options: ExportOptions, exporter_class: type[Exporter], *, client: Quota | None,
                    location: str) -> StoredExport | TaskStatus:
    stored = stored_export(options, exporter_class)
    if stored is not None:
        return stored
    name = export_name(options, exporter_class)
    refuse_if_failed(name)
    identifier = task_id("export", name)
    refuse_if_task_failed(identifier)
    check_quota(options, client)
    status = enqueue(build_export_task, identifier, format_name=exporter_class.name,
                     options=options_data(options), client=client, location=location)
    return previous_export(options, exporter_class) or status


def refuse_if_task_failed(identifier: str) -> None:
    """If the last task of `identifier` failed, the error it stands for (see `raise_refusal`), said once: it is
    forgotten, and the next request sends the work again."""
    status = task_status(identifier)
    if status is not None and status.state == "failed":
        forget(identifier)
        raise_refusal(status)


def raise_refusal(status: TaskStatus) -> None:
    """The error a failed build task stands for: BuildFailed, BuildMismatch or TooManyCustomBuilds as the
    store would have raised them, else ExportFailed."""
    retry_after = int(status.result.get("retry_after") or RETRY_AFTER_SECONDS)
    kind = status.result.get("kind")
    if kind == "throttled":
        raise TooManyCustomBuilds(retry_after)
    if kind == "mismatch":
        raise BuildMismatch(status.detail, retry_after)
    if kind == "build_failed":
        raise BuildFailed(status.detail, retry_after)
    raise ExportFailed(status.detail)
