"""The task queue's rules: one task per piece of work, its state read back, its failures said once.

A task's id is derived from what it builds (`task_id`), so that the same work asked twice, from two
requests or two hosts, is one task: `enqueue` sends it only when no task of that id is waiting or
running. States and progress are read from Celery's result backend (the broker's Redis), where they
expire after CELERY_RESULT_EXPIRES: no table grows with every download, and a worker reports progress
without writing to the database that web pages read.

Without a broker (CELERY_BROKER_URL unset: the embedded default), `queue_enabled()` is False and the
callers do the work where it is asked, as a single process always has.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from celery import Task, current_app, states
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError
from redis.exceptions import RedisError

logger = logging.getLogger("lexique.tasks")

# Set by `enqueue` before the task is sent: a task that exists but no worker has taken yet.
QUEUED = "QUEUED"
# Set by a running task that counts its work (`report_progress`): meta {"done": n, "total": m}.
PROGRESS = "PROGRESS"
_WAITING = frozenset({QUEUED, states.RECEIVED, states.RETRY})
_RUNNING = frozenset({states.STARTED, PROGRESS})
# How long two requests asking for the same work at the same moment are kept from both sending it.
_SENDING_SECONDS = 10

# Failures that pass: the task is tried again later (with back-off) rather than reported at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, DatabaseError, RedisError)


def queue_enabled() -> bool:
    """True when tasks go through a broker to workers; False when they run where they are asked."""
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def task_id(kind: str, key: str) -> str:
    """The id of the task doing `kind` of work on `key` (what it builds): the same work, the same id (and
    another on another site's queue sharing the same Redis)."""
    scoped = f"{settings.CELERY_TASK_DEFAULT_QUEUE}\n{key}"
    return f"{kind}-{hashlib.sha256(scoped.encode()).hexdigest()[:40]}"


@dataclass(frozen=True)
class TaskStatus:
    """Where a task stands: queued, running, done or failed; `done` of `total` steps when it counts them."""

    id: str
    state: str
    done: int | None = None
    total: int | None = None
    result: dict[str, Any] = field(default_factory=dict)
    detail: str = ""
    # The address that serves what the task makes (a file, a page), once it is done.
    location: str = ""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int | None:
        if self.state == "done":
            return 100
        if not self.total or self.done is None:
            return None
        return min(100, int(100 * self.done / self.total))

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "done": self.done, "total": self.total,
                "percent": self.percent, "location": self.location or None, "detail": self.detail or None}


def task_status(identifier: str) -> TaskStatus | None:
    """The state of task `identifier`, or None if no such task is known (never sent, or long expired)."""
    if not queue_enabled():
        return None
    meta = current_app.backend.get_task_meta(identifier)
    state = meta.get("status", states.PENDING)
    info = meta.get("result")
    if state == states.PENDING:
        return None
    asked = meta.get("kwargs") if isinstance(meta.get("kwargs"), dict) else {}
    values = info if isinstance(info, dict) else {}
    location = str(values.get("location") or asked.get("location") or "")
    if state in _WAITING:
        return TaskStatus(identifier, "queued", location=location)
    if state in _RUNNING:
        return TaskStatus(identifier, "running", done=values.get("done"), total=values.get("total"), location=location)
    if state == states.SUCCESS:
        if values.get("failed"):
            return TaskStatus(identifier, "failed", result=values, detail=str(values.get("detail", "")),
                              location=location)
        return TaskStatus(identifier, "done", done=values.get("total"), total=values.get("total"), result=values,
                          location=location)
    # FAILURE, REVOKED: the task gave up, after its retries.
    detail = values.get("exc_message", "") if values else str(info or "")
    if isinstance(detail, list | tuple):
        detail = " ".join(str(part) for part in detail)
    return TaskStatus(identifier, "failed", detail=str(detail)[:500], location=location)


def enqueue(task: Task, identifier: str, **kwargs: Any) -> TaskStatus:
    """Send `task` with `kwargs` under `identifier`, unless a task of that id is already waiting or
    running; its status. A finished one (its work since lost, or failed) is forgotten and sent again.

    Without a broker the task runs here and now, and its outcome is returned.
    """
    if not queue_enabled():
        outcome = task.apply(kwargs=kwargs, task_id=identifier)
        location = str(kwargs.get("location", ""))
        if outcome.successful():
            result = outcome.result if isinstance(outcome.result, dict) else {}
            if result.get("failed"):
                return TaskStatus(identifier, "failed", result=result, detail=str(result.get("detail", "")),
                                  location=location)
            return TaskStatus(identifier, "done", result=result, location=location)
        return TaskStatus(identifier, "failed", detail=str(outcome.result)[:500], location=location)
    status = task_status(identifier)
    if status is not None and not status.finished:
        return status
    backend = current_app.backend
    # One sender at a time for this id, across processes and hosts (a key set only if absent).
    if not backend.client.set(f"lexique-sending:{identifier}", 1, nx=True, ex=_SENDING_SECONDS):
        return status or TaskStatus(identifier, "queued")
    if status is not None:
        backend.forget(identifier)
    location = str(kwargs.get("location", ""))
    backend.store_result(identifier, {"location": location}, QUEUED)
    task.apply_async(kwargs=kwargs, task_id=identifier)
    return TaskStatus(identifier, "queued", location=location)


def forget(identifier: str) -> None:
    """Drop what is known of task `identifier` (a failure once reported), so that asking again sends it anew."""
    if queue_enabled():
        current_app.backend.forget(identifier)


def report_progress(task: Task, *, done: int, total: int) -> None:
    """Let readers of `task`'s status see `done` of `total` steps (nothing without a broker)."""
    if task.request.id and not task.request.is_eager:
        try:
            task.update_state(state=PROGRESS, meta={"done": done, "total": total})
        except (RedisError, OSError) as error:
            # A progress bar that cannot be drawn is no reason to stop the work it measures (the broker
            # restarting, say): the next report, or the result, says it again.
            logger.warning("Progress of task %s not recorded: %s", task.request.id, error)


class QueueTask(Task):  # type: ignore[misc]  # Celery's classes carry no type hints
    """The site's tasks: acknowledged when they end, bounded in time, retried with back-off when they fail
    for a passing reason, their final failure logged once with its cause."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_jitter = True
    retry_backoff_max = 600
    # Celery says of these only a line at INFO: the one error logged, with its cause, is `on_failure`'s.
    throws = (Exception,)

    @property
    def max_retries(self) -> int:  # type: ignore[override]  # read from the settings when asked
        return int(settings.LEXIQUE_TASK_MAX_RETRIES)

    @property
    def retry_backoff(self) -> int:
        return int(settings.LEXIQUE_TASK_RETRY_DELAY)

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        cause = "it ran out of time" if isinstance(exc, SoftTimeLimitExceeded) else f"{type(exc).__name__}: {exc}"
        logger.error("Task %s %s failed after %d retries: %s", self.name, task_id, self.request.retries, cause,
                     exc_info=(type(exc), exc, exc.__traceback__))
