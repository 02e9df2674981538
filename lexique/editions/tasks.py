"""Long work of the editions, run by the task queue's workers: their files' first builds, and the comparison
of a new edition with the one before it."""
from typing import Any

from celery import Task, shared_task

from lexique.editions.files import get_edition_export
from lexique.editions.selectors import edition_options, prepare_comparison, prepare_comparison_page
from lexique.interop.store import BuildFailed, BuildsBusy, ExportFailed, TooManyCustomBuilds
from lexique.interop.tasks import refusal_result
from lexique.models import Edition
from lexique.platform.queue import TRANSIENT_ERRORS, QueueTask


@shared_task(base=QueueTask, bind=True, name="lexique.build_edition_file",
             autoretry_for=(BuildsBusy, ExportFailed, *TRANSIENT_ERRORS))
def build_edition_file_task(self: Task, *, number: str, file_name: str, location: str) -> dict[str, Any]:
    """Build one file of edition `number` (once for ever: its bytes are recorded by the first build)."""
    edition = Edition.objects.get(number=number)
    exporter_class, options = edition_options(number, file_name)
    try:
        get_edition_export(edition, exporter_class, options).close()
    except (BuildFailed, TooManyCustomBuilds) as refusal:  # the same answer if asked again: not retried
        return refusal_result(refusal, location)
    return {"location": location}


@shared_task(base=QueueTask, bind=True, name="lexique.compare_editions")
def compare_editions_task(self: Task, *, number: str) -> dict[str, Any]:
    """Compare edition `number` with the one before it, where the comparison page reads it (the cache)."""
    prepare_comparison(Edition.objects.get(number=number))
    return {}


@shared_task(base=QueueTask, bind=True, name="lexique.compare_editions_page")
def compare_editions_page_task(self: Task, *, old: str, new: str, page: int, language: str,
                               location: str) -> dict[str, Any]:
    """Prepare one page of the comparison of two editions in `language` (any pair a reader asks for); the
    page at `location` then reads it from the cache."""
    prepare_comparison_page(Edition.objects.get(number=old), Edition.objects.get(number=new), page, language)
    return {"location": location}
