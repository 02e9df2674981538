"""Conditional GETs and cached responses for the published set, keyed on its version.

The published set changes only when a moderator acts, and each change bumps its version:
a read response is a function of (version, address, format), so it is serialised once and
served from the cache until the next publication.
"""
import hashlib
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ..models import Domain, LexiconState

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DOMAINS_STAMP = "lexique:api:domains-stamp"
_renderer = JSONRenderer()


def published_state():
    """(version, changed_at) of the published set, in one query."""
    row = LexiconState.objects.filter(pk=1).values_list("version", "changed_at").first()
    return row or (0, None)


def _domains_stamp():
    # Domains are edited in the admin without a publication; their edits change this stamp.
    stamp = cache.get(_DOMAINS_STAMP)
    if stamp is None:
        stamp = _new_domains_stamp()
    return stamp


def _new_domains_stamp(**kwargs):
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    cache.set(_DOMAINS_STAMP, stamp, None)
    return stamp


post_save.connect(_new_domains_stamp, sender=Domain, dispatch_uid="lexique-api-domains-stamp-save")
post_delete.connect(_new_domains_stamp, sender=Domain, dispatch_uid="lexique-api-domains-stamp-delete")


def published_response(request, build):
    """Answer a read of the published set: 304 when the client is up to date, else the cached body.

    `build()` returns the response data; it runs only when the cache has no body for this version.
    """
    version, changed_at = published_state()
    request.lexicon_version = version
    changed_at = changed_at or _EPOCH
    # changed_at in the tag too: a restored database may reuse a version number for other content.
    fingerprint = f"{version}.{changed_at.timestamp():.6f}.{_domains_stamp()}"
    fmt = getattr(getattr(request, "accepted_renderer", None), "format", "json")
    etag = '"%s"' % hashlib.blake2b(f"{fingerprint}.{fmt}".encode(), digest_size=12).hexdigest()
    last_modified = int(changed_at.timestamp())

    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _with_validators(not_modified, etag, last_modified)

    if fmt != "json":  # the browsable API: rendered by DRF, not cached
        return _with_validators(Response(build()), etag, last_modified)

    key = "lexique:api:" + hashlib.blake2b(
        f"{fingerprint}|{request.build_absolute_uri()}".encode(), digest_size=16
    ).hexdigest()
    body = cache.get(key)
    if body is None:
        body = _renderer.render(build())
        cache.set(key, body, settings.API_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json")
    return _with_validators(response, etag, last_modified)


def _with_validators(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
