"""Long work of the formats, run by the task queue's workers (never by a web worker): builds of the files
readers download, and imports."""
import time
from dataclasses import asdict
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from lexique.interop.importers import ImportFileError, import_entries, read_entries
from lexique.interop.importers.readers import column_readings
from lexique.interop.importers.service import Candidate, Decisions, ImportReport, Outcome, file_source
from lexique.interop.importers.uploads import kept_upload
from lexique.interop.published import ExportOptions
from lexique.interop.registry import exporter_for
from lexique.interop.store import (
    BuildFailed,
    BuildMismatch,
    BuildsBusy,
    ExportFailed,
    Quota,
    TooManyCustomBuilds,
    build_export,
)
from lexique.platform.queue import TRANSIENT_ERRORS, QueueTask, report_progress


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
def build_export_task(self: Task, *, format_name: str, options: dict[str, Any], client: Quota | None,
                      location: str) -> dict[str, Any]:
    """Build one export (the store's locks keep it to one build however often it is asked); `location`
    is the address that serves it once built."""
    try:
        build_export(options_from(options), exporter_for(format_name), client=client)
    except (BuildFailed, TooManyCustomBuilds) as refusal:  # asking again gives the same answer: not retried
        return refusal_result(refusal, location)
    return {"location": location}


# --- Imports ---------------------------------------------------------------------------------------

# Seconds between two reports of an import's progress (a write to the result backend each).
PROGRESS_SECONDS = 0.5


def report_data(report: ImportReport) -> dict[str, Any]:
    """An import's report as a task returns it (JSON)."""
    return asdict(report)


def report_from(data: dict[str, Any]) -> ImportReport:
    """The report a task returned, as the import page shows it."""
    outcomes = [
        Outcome(**{**outcome, "candidates": [Candidate(**candidate) for candidate in outcome["candidates"]],
                   "repeats": [tuple(repeat) for repeat in outcome["repeats"]],
                   "diff": {name: [tuple(chunk) for chunk in chunks] for name, chunks in outcome["diff"].items()}})
        for outcome in data["outcomes"]
    ]
    return ImportReport(outcomes=outcomes, written=data["written"], domains_created=data["domains_created"])


@shared_task(base=QueueTask, bind=True, name="lexique.import_file", soft_time_limit=settings.LEXIQUE_IMPORT_TIME_LIMIT,
             time_limit=settings.LEXIQUE_IMPORT_TIME_LIMIT + 60)
def import_file_task(self: Task, *, digest: str, file_format: str, file_name: str, by: int, dry_run: bool,
                     approve_now: bool, summary: str, matches: dict[str, str], keep: dict[str, int],
                     clear_empty: bool, page: dict[str, Any], location: str,
                     skip_refused: bool = False, columns: dict[str, str] | None = None) -> dict[str, Any]:
    """Read the file kept by the site (`digest`), then preview or import it as `by`, reporting entries done.

    All or nothing, like any import: a worker stopped midway leaves nothing written, and the task is
    run again. `page` is what the import page needs to show the outcome, given back as it came.
    """
    answer: dict[str, Any] = {"by": by, "page": page, "location": location}
    chosen = {int(index): field for index, field in (columns or {}).items()}
    readings: list[dict[str, Any]] = []
    try:
        content = kept_upload(digest, file_format)
        readings = [asdict(reading) for reading in column_readings(content, file_format, chosen)]
        entries = read_entries(content, file_format, chosen)
    except ImportFileError as error:
        return {**answer, "problems": error.problems, "columns": readings}
    answer["page"] = {**page, "columns": readings}
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            report_progress(self, done=done, total=total)

    report = import_entries(
        entries=entries, by=get_user_model().objects.get(pk=by), dry_run=dry_run, approve_now=approve_now,
        summary=summary, source=file_source(file_name, content), progress=progress,
        decisions=Decisions(matches={int(index): value for index, value in matches.items()},
                            keep={int(index): value for index, value in keep.items()}, clear_empty=clear_empty,
                            skip_refused=skip_refused))
    return {**answer, "report": report_data(report), "total": len(entries)}
