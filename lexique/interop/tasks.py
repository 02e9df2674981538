"""Builds of the files readers download, run by the task queue's workers (never by a web worker)."""
from dataclasses import asdict
from typing import Any

from celery import Task, shared_task

from lexique.interop.published import ExportOptions
from lexique.interop.registry import exporter_for
from lexique.interop.store import (
    BuildFailed,
    BuildMismatch,
    BuildsBusy,
    ExportFailed,
    TooManyCustomBuilds,
    build_export,
)
from lexique.platform.queue import TRANSIENT_ERRORS, QueueTask


def options_data(options: ExportOptions) -> dict[str, Any]:
    """`options` as a task carries them (JSON)."""
    return asdict(options)


def options_from(data: dict[str, Any]) -> ExportOptions:
    fields: dict[str, Any] = {name: tuple(value) if isinstance(value, list) else value for name, value in data.items()}
    return ExportOptions(**fields)


def refusal_result(refusal: BuildFailed | TooManyCustomBuilds, location: str) -> dict[str, Any]:
    """What a task that will not build says: the reader is told why, and when to ask again."""
    kind = ("mismatch" if isinstance(refusal, BuildMismatch) else "throttled"
            if isinstance(refusal, TooManyCustomBuilds) else "build_failed")
    return {"failed": True, "kind": kind, "detail": str(refusal)[-500:], "retry_after": refusal.retry_after,
            "location": location}


@shared_task(base=QueueTask, bind=True, name="lexique.build_export",
             autoretry_for=(BuildsBusy, ExportFailed, *TRANSIENT_ERRORS))
def build_export_task(self: Task, *, format_name: str, options: dict[str, Any], client: str | None,
                      location: str) -> dict[str, Any]:
    """Build one export (the store's locks keep it to one build however often it is asked); `location`
    is the address that serves it once built."""
    try:
        build_export(options_from(options), exporter_for(format_name), client=client)
    except (BuildFailed, TooManyCustomBuilds) as refusal:  # asking again gives the same answer: not retried
        return refusal_result(refusal, location)
    return {"location": location}
