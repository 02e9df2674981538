"""Answers while the database cannot be reached: 503 with Retry-After, not a 500, and a health check.

A database restart or fail-over lasts seconds; clients told to come back shortly (and load balancers
told this process is not ready) recover by themselves, without an alarming error page.
"""
import sys
from collections.abc import Callable

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from lexique.platform.errors import error_body

# Seconds after which a client may try again.
RETRY_AFTER_SECONDS = 5
HEALTH_PATH = "/healthz"


def is_database_outage(error: BaseException | None) -> bool:
    """True when `error` says the database is unreachable (not when a query is wrong)."""
    return isinstance(error, (OperationalError, InterfaceError))


def unavailable_page(request: HttpRequest) -> HttpResponse:
    """A short page for people; rendered without the request, so nothing in it needs the database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_response() -> JsonResponse:
    """503 in the API's JSON shape: the client should retry, nothing is wrong with its request."""
    # A plain JsonResponse: it is also sent from outside DRF (handler500), where nothing would render a Response.
    response = JsonResponse(
        error_body(503, "unavailable", _("Service momentanément indisponible ; réessayez dans quelques secondes.")),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: an unreachable database is a 503 with Retry-After; anything else Django's 500.

    Django calls this while handling the exception, so sys.exc_info() names it.
    """
    if is_database_outage(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            return unavailable_response()
        return unavailable_page(request)
    return defaults.server_error(request, template_name)


def _check(probe: Callable[[], None]) -> str:
    """"ok", or the name of the error the probe raised (the database's, or the cache client's own)."""
    try:
        probe()
    except Exception as error:  # noqa: BLE001 (any failure means "not healthy", whatever its class)
        return type(error).__name__
    return "ok"


def _database_probe() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache_probe() -> None:
    cache.set("lexique:healthz", 1, 10)
    if cache.get("lexique:healthz") != 1:
        raise OSError("cache did not keep a value")


class HealthCheckMiddleware:
    """GET /healthz: 200 when the database and the cache answer, 503 otherwise.

    First in the chain, so that a probe from a load balancer or the container's own health check
    (which do not know the public host name and speak plain HTTP) is not refused by ALLOWED_HOSTS
    or redirected to HTTPS; it answers nothing but these two facts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        checks = {"database": _check(_database_probe), "cache": _check(_cache_probe)}
        healthy = all(value == "ok" for value in checks.values())
        body = {"status": "ok" if healthy else "unavailable", **checks}
        response = JsonResponse(body, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        if not healthy:
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            connection.close_if_unusable_or_obsolete()
        return response
