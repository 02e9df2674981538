"""Public reads from a read replica, when one is configured (DATABASE_REPLICA_URL); everything else on the primary.

Only requests that cannot write and carry nobody's identity go to the replica: GET and HEAD without a
session cookie or an Authorization header. A contributor therefore always reads what they just wrote,
and whatever a moderator publishes reaches anonymous readers as soon as the replica has replayed it.
"""
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


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


class ReplicaReadsMiddleware:
    """Marks public reads for the router; a no-op without a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA not in connections.settings or not is_public_read(request):
            return self.get_response(request)
        token = _reading_from_replica.set(True)
        try:
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)


def read_alias(model: type[Model]) -> str:
    """The database alias that reads of `model` go to now (for the few reads made in plain SQL)."""
    return router.db_for_read(model) or "default"
