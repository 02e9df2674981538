"""The API's cached reads: bodies serialised once per version of the published set, served with its validators.

The version, the validators and the cache keys are the published set's (lexique.publishing.caching).
"""
import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from lexique.api.throttles import AnonymousThrottle
from lexique.publishing.caching import validators, with_validators

_renderer = JSONRenderer()
ViewArgs = ParamSpec("ViewArgs")


def published_response(request: Request, build: Callable[[], Any]) -> HttpResponseBase:
    """Answer a read of the published set: 304 when the client is up to date, else the cached body.

    `build()` returns the response data; it runs only when the cache has no body for this version.
    """
    fmt = getattr(getattr(request, "accepted_renderer", None), "format", "json")
    etag, last_modified, key = validators(request, fmt)

    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return with_validators(not_modified, etag, last_modified)

    if fmt != "json":  # the browsable API: rendered by DRF, not cached
        return with_validators(Response(build()), etag, last_modified)

    body = cache.get(key)
    if body is None:
        body = _renderer.render(build())
        cache.set(key, body, settings.API_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json")
    return with_validators(response, etag, last_modified)


_JSON_ACCEPT = {"", "*/*", "application/json"}


def cached_response(request: HttpRequest) -> HttpResponseBase | None:
    """The cached answer to an anonymous JSON read, without going through DRF; None when there is none.

    Only a body that DRF built and stored (so for valid parameters) is served from here; anything
    else (a miss, a token, a browser, a throttled client) takes the full path.
    """
    if (
        request.method not in ("GET", "HEAD")
        or "HTTP_AUTHORIZATION" in request.META
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or request.META.get("HTTP_ACCEPT", "") not in _JSON_ACCEPT
        or "format" in request.GET
    ):
        return None
    etag, last_modified, key = validators(request, "json")
    body = cache.get(key)
    if body is None:
        return None
    # The throttle reads only the user and the address, which a Django request has as DRF's does.
    if not AnonymousThrottle().allow_request(request, None):  # type: ignore[arg-type]  # no DRF request here
        return None  # DRF answers the 429
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(body, content_type="application/json")
    response["Vary"] = "Accept"  # as DRF says it: the browsable API answers the same address in HTML
    response["Allow"] = "GET, HEAD, OPTIONS"
    return with_validators(response, etag, last_modified)


def serve_cached_reads(
    view: Callable[Concatenate[HttpRequest, ViewArgs], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, ViewArgs], HttpResponseBase]:
    """Wrap a read-only view so that cached anonymous reads skip DRF altogether (see cached_response)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: ViewArgs.args, **kwargs: ViewArgs.kwargs) -> HttpResponseBase:
        return cached_response(request) or view(request, *args, **kwargs)

    return wrapped
