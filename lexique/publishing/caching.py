"""The published set's version, and what is cached on it: derived figures, validators of conditional GETs,
anonymous web pages (the API's bodies use the same validators: lexique.api.caching).

The published set changes only when a moderator acts, and each change bumps its version:
a read response is a function of (version, address, format), so it is serialised once and
served from the cache until the next publication.
"""
import functools
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import get_language

from lexique.models import Domain, LexiconState
from lexique.platform.routers import read_alias
from lexique.publishing.signals import published_set_changed

_T = TypeVar("_T")
_Response = TypeVar("_Response", bound=HttpResponseBase)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DOMAINS_STAMP = "lexique:api:domains-stamp"


_STATE_SQL: str | None = None
_STATE_READ = "lexique:api:state-read"
_STATE_PUBLISHED = "lexique:api:state-published"


def _read_state() -> tuple[int, datetime | None]:
    # Plain SQL: building this query with the ORM costs more than running it.
    # Read where the response's data will be read (the replica, for a public read), so that a body
    # is never cached under a version that its data does not have yet.
    global _STATE_SQL
    connection = connections[read_alias(LexiconState)]
    if _STATE_SQL is None:
        table = connection.ops.quote_name(LexiconState._meta.db_table)
        _STATE_SQL = f"SELECT version, changed_at FROM {table} WHERE id = 1"
    with connection.cursor() as cursor:
        cursor.execute(_STATE_SQL)
        row = cursor.fetchone()
    if row is None:
        return 0, None
    version, changed_at = row
    if isinstance(changed_at, str):  # SQLite returns text; stored in UTC
        parsed = parse_datetime(changed_at)
        changed_at = parsed.replace(tzinfo=UTC) if parsed is not None else None
    return version, changed_at


def published_state() -> tuple[int, datetime | None]:
    """(version, changed_at) of the published set.

    Read from the database at most once per API_STATE_SECONDS per cache; a publication made by
    this process (or any process, with a shared cache) is seen at once, through the signal below.
    Another process with its own local-memory cache sees it within API_STATE_SECONDS.
    """
    seconds = settings.API_STATE_SECONDS
    if not seconds:
        return _read_state()
    alias = read_alias(LexiconState)
    read_key = f"{_STATE_READ}:{alias}"
    # A publication is known at once on the primary; a replica's readers wait for the replica's own word.
    known = cache.get_many([read_key, _STATE_PUBLISHED] if alias == "default" else [read_key])
    if read_key not in known:
        known[read_key] = _read_state()
        cache.set(read_key, known[read_key], seconds)
    # The newest of the two: a read that started before a commit must not hide it.
    return max(known.values(), key=lambda state: state[0])


def _published(sender: object, **kwargs: Any) -> None:
    if settings.API_STATE_SECONDS:
        cache.set(_STATE_PUBLISHED, _read_state(), settings.API_STATE_SECONDS)


published_set_changed.connect(_published, dispatch_uid="lexique-api-published-state")


def _domains_stamp() -> str:
    # Domains are edited in the admin without a publication; their edits change this stamp.
    stamp = cache.get(_DOMAINS_STAMP)
    if stamp is None:
        stamp = _new_domains_stamp()
    return stamp


def _new_domains_stamp(**kwargs: Any) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    cache.set(_DOMAINS_STAMP, stamp, None)
    return stamp


post_save.connect(_new_domains_stamp, sender=Domain, dispatch_uid="lexique-api-domains-stamp-save")
post_delete.connect(_new_domains_stamp, sender=Domain, dispatch_uid="lexique-api-domains-stamp-delete")


def _fingerprint() -> tuple[str, int, datetime]:
    """(fingerprint, version, changed_at) of the published set as readers see it now."""
    version, changed_at = published_state()
    changed_at = changed_at or _EPOCH
    # changed_at in the tag too: a restored database may reuse a version number for other content.
    return f"{version}.{changed_at.timestamp():.6f}.{_domains_stamp()}", version, changed_at


def version_key(name: str) -> str:
    """The cache key of `name` for the published set at its current version (see for_version)."""
    fingerprint, _version, _changed_at = _fingerprint()
    return "lexique:derived:" + hashlib.blake2b(f"{fingerprint}|{name}".encode(), digest_size=16).hexdigest()


def for_version(name: str, build: Callable[[], _T]) -> _T:
    """What `build()` returns for the published set at its current version, computed once per version.

    For figures derived from the whole set (counts by letter, by domain): readers never pay for them
    between two publications.
    """
    key = version_key(name)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.API_CACHE_SECONDS)
    return value


def validators(request: HttpRequest, fmt: str,
               state: tuple[str, datetime] | None = None) -> tuple[str, int, str]:
    """(etag, last_modified timestamp, cache key) of this read at the current version, or, for a page that
    shows only part of the set, at `state`: (a stamp of what it shows, when that last changed)."""
    if state is None:
        fingerprint, version, changed_at = _fingerprint()
        # What the API's pages say they were read at (lexique.api.pagination reads it back).
        request.lexicon_version = version  # type: ignore[attr-defined]  # an attribute of this project's own
    else:
        stamp, changed_at = state
        fingerprint = f"part.{stamp}.{_domains_stamp()}"
    etag = f'"{hashlib.blake2b(f"{fingerprint}.{fmt}".encode(), digest_size=12).hexdigest()}"'
    # The host as sent (CommonMiddleware has already checked it against ALLOWED_HOSTS): the body's
    # links are absolute, so a body is only good for the address it was built for.
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
    key = "lexique:api:" + hashlib.blake2b(f"{fingerprint}|{address}".encode(), digest_size=16).hexdigest()
    return etag, int(changed_at.timestamp()), key


def published_page(request: HttpRequest, render: Callable[[], HttpResponse], *, extra: str = "",
                   personal: bool = True, state: tuple[str, datetime] | None = None) -> HttpResponse:
    """A web page that is the same for every anonymous reader: 304 when the reader's copy is current,
    else the body rendered once per version of the published set (and language), or, for a page that
    shows a part of the set only, once per `state` of that part (see `validators`).

    `render()` returns the response; only a 200 is kept. `extra` names what else the page shows that
    changes without a publication (a discussion's size): it is part of the ETag and of the cache key.
    `personal=False` for a body that is the same for signed-in readers too (a feed): no Vary on Cookie.
    With PAGE_CACHE off (a benchmark's "before"), every request renders.
    """
    if not settings.PAGE_CACHE:
        return render()
    language = get_language()
    etag, last_modified, key = validators(request, f"html.{language}.{extra}", state)
    key = f"{key}:page:{language}:{extra}"
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        response = not_modified
    else:
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached[0], content_type=cached[1])
        else:
            response = render()
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), settings.API_CACHE_SECONDS)
    if personal:
        # A signed-in reader sees another page at the same address.
        patch_vary_headers(response, ["Cookie"])
    return with_validators(response, etag, last_modified)


@functools.lru_cache(maxsize=64)
def _http_date(timestamp: float) -> str:
    return http_date(timestamp)


def with_validators(response: _Response, etag: str, last_modified: int) -> _Response:
    response["ETag"] = etag
    response["Last-Modified"] = _http_date(last_modified)
    # Clients may keep a copy but must check it (a cheap 304) before each use.
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
