"""A time limit on every statement of a public read (PostgreSQL's statement_timeout), a 503 when it is hit.

An anonymous reader may type anything; whatever the search makes of it, no statement of a public read
runs longer than PUBLIC_READ_TIMEOUT_MS, and the reader is told to come back (503 with Retry-After, the
answer to an outage) rather than shown a 500. Writes, signed-in readers and commands have no limit.

The limit is set on the connection at the first query of a request, only when it differs from what
the connection holds already: with persistent connections, a run of public reads pays it once.
"""
import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

from lexique.platform.outage import unavailable_page, unavailable_response
from lexique.platform.routers import is_public_read

logger = logging.getLogger("lexique.timeouts")
# SQLSTATE of a statement cancelled by statement_timeout (or by an administrator).
QUERY_CANCELED = "57014"
_HELD = "lexique_statement_timeout"  # the limit the session holds, as last set (0: none)


def is_statement_timeout(error: BaseException | None) -> bool:
    cause = getattr(error, "__cause__", None)
    return isinstance(error, OperationalError) and (
        getattr(cause, "sqlstate", None) == QUERY_CANCELED or getattr(cause, "pgcode", None) == QUERY_CANCELED
    )


class _Limit:
    """An execute wrapper: the session's statement_timeout made `milliseconds` before the query runs."""

    def __init__(self, connection: BaseDatabaseWrapper, milliseconds: int) -> None:
        self.connection = connection
        self.milliseconds = milliseconds

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        connection = self.connection
        if getattr(connection, _HELD, 0) != self.milliseconds:
            # The driver's own cursor: the setting is no query of the page (nor counted as one in tests).
            with connection.connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(self.milliseconds)}")
            # In a transaction, the setting goes if it is rolled back: set again at the next query then.
            setattr(connection, _HELD, None if connection.in_atomic_block else self.milliseconds)
        return execute(sql, params, many, context)


class PublicReadTimeoutMiddleware:
    """Limits the statements of public reads on PostgreSQL; turns a statement cut short into a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        milliseconds = settings.PUBLIC_READ_TIMEOUT_MS if is_public_read(request) else 0
        with ExitStack() as stack:
            for alias in connections:
                connection = connections[alias]
                if connection.vendor == "postgresql":
                    stack.enter_context(connection.execute_wrapper(_Limit(connection, milliseconds)))
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_statement_timeout(exception):
            return None
        logger.warning("Statement timeout (%s ms) on %s %s", settings.PUBLIC_READ_TIMEOUT_MS, request.method,
                       request.get_full_path()[:300])
        return unavailable_response() if request.path.startswith("/api/") else unavailable_page(request)


def _new_session(sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    setattr(connection, _HELD, 0)  # a new session starts without a limit


connection_created.connect(_new_session, dispatch_uid="lexique-statement-timeout")
