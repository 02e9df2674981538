"""Long work of the editions, run by the task queue's workers: publishing one, their files' first builds,
and the comparison of a new edition with the one before it."""
from typing import Any

from celery import Task, shared_task
from django.contrib.auth import get_user_model

from lexique.editions.files import get_edition_export
from lexique.editions.selectors import edition_options, prepare_comparison, prepare_comparison_page
from lexique.editions.services import publish_edition
from lexique.interop.store import BuildFailed, BuildsBusy, ExportFailed, TooManyCustomBuilds
from lexique.interop.tasks import refusal_result
from lexique.models import Edition
from lexique.platform.queue import TRANSIENT_ERRORS, QueueTask, enqueue, report_progress, task_id
from lexique.publishing.signals import edition_published
from lexique.services import PermissionDenied, ValidationError, WorkflowError, error_message


def publish_task_id(number: str) -> str:
    """The one task publishing edition `number`: asked twice (a form sent twice, two moderators), sent once."""
    return task_id("publish", number)


@shared_task(base=QueueTask, bind=True, name="lexique.publish_edition")
def publish_edition_task(self: Task, *, number: str, note: str, by: int, location: str) -> dict[str, Any]:
    """Publish edition `number` as moderator `by`, reporting entries written; `location` is its page.

    Idempotent: run again after it committed (a worker lost before acknowledging it), it finds the edition
    it published and says so, rather than refusing a number already taken.
    """
    published = Edition.objects.filter(number=number, published_by_id=by).first()
    if published is None:
        try:
            published = publish_edition(
                number=number, note=note, by=get_user_model().objects.get(pk=by),
                progress=lambda done, total: report_progress(self, done=done, total=total))
        except (ValidationError, WorkflowError, PermissionDenied) as refusal:  # the same answer if run again
            return {"failed": True, "kind": "refused", "detail": error_message(refusal), "location": location}
    return {"location": location, "total": published.term_count}


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


def _compare_after_publication(sender: object, *, number: str, **kwargs: Any) -> None:
    # The comparison readers ask for first, with the edition before, made by a worker as soon as the edition
    # is committed (without a task queue, here and now). Connected where editions are published: the web
    # (the views import this module), the workers (the task above) and the publish_edition command.
    enqueue(compare_editions_task, task_id("compare-edition", number), number=number)


edition_published.connect(_compare_after_publication, dispatch_uid="lexique-compare-after-publication")
