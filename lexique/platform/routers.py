"""Public reads from a read replica, when one is configured (DATABASE_REPLICA_URL); everything else on the primary.

Only requests that cannot write and carry nobody's identity go to the replica: GET and HEAD without a
session cookie or an Authorization header (`is_public_read`, the one home of the rule). Signed-in
people read from the primary for as long as they are signed in, not for some seconds after a write:
whatever the replica's lag (seconds under a bulk import, minutes after a network cut), a contributor or
moderator reads what they just wrote, with no clock to tune; they are a small share of the reads, which
the anonymous readers and API clients make. Whatever a moderator publishes reaches anonymous readers as
soon as the replica has replayed it.

A replica that cannot be reached costs no error: the request that finds it down (or loses it midway)
is read from the primary, and the primary serves every public read for REPLICA_RETRY_SECONDS before the
replica is tried again.
"""
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, router
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Seconds during which public reads stay on the primary after the replica was found unreachable.
REPLICA_RETRY_SECONDS = 5
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
_replica_down_until = 0.0
logger = logging.getLogger("lexique.replica")


def is_public_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith("/admin/")
    )


class ReplicaRouter:
    """Sends the reads of a public request to the replica; writes, migrations and other reads to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return REPLICA if _reading_from_replica.get() else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA


def _replica_lost(error: BaseException) -> None:
    """Public reads go to the primary for a while; said once in the log."""
    global _replica_down_until
    if time.monotonic() >= _replica_down_until:
        logger.warning("Read replica unreachable (%s): public reads from the primary for %d s",
                       str(error).strip()[:300], REPLICA_RETRY_SECONDS)
    _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
    try:
        connections[REPLICA].close()
    except (OperationalError, InterfaceError):  # a connection already broken
        pass


def replica_usable() -> bool:
    """True if the replica answers now (a connection made or kept); False, for a while, if it did not."""
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except (OperationalError, InterfaceError) as error:
        _replica_lost(error)
        return False
    return True


class _ReplicaLost(HttpResponse):
    """What a read that lost the replica midway answers to the middleware below, which reads it again."""


class ReplicaReadsMiddleware:
    """Marks public reads for the router while the replica answers; a no-op without a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA not in connections.settings or not is_public_read(request) or not replica_usable():
            return self.get_response(request)
        token = _reading_from_replica.set(True)
        try:
            response = self.get_response(request)
        finally:
            _reading_from_replica.reset(token)
        if isinstance(response, _ReplicaLost):
            return self.get_response(request)  # a GET or HEAD without identity: safe to read again, from the primary
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A public read whose database went away: if it was the replica, the read is made again on the primary."""
        if not _reading_from_replica.get() or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT 1")
        except (OperationalError, InterfaceError) as error:
            _replica_lost(error)
            return _ReplicaLost(status=503)
        return None  # the replica answers: the primary, or the query itself, failed (the outage page says so)


def read_alias(model: type[Model]) -> str:
    """The database alias that reads of `model` go to now (for the few reads made in plain SQL)."""
    return router.db_for_read(model) or "default"
