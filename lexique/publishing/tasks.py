"""Work that follows a publication, run by the task queue's workers: the sitemap's files."""
from typing import Any

from celery import Task, current_app, shared_task
from django.conf import settings

from lexique.platform.queue import QueueTask, enqueue, queue_enabled, report_progress, task_id
from lexique.publishing.signals import edition_published, published_set_changed
from lexique.publishing.sitemaps import current_stamp, prepare_sitemaps, stamp_version

# How long one preparation of the sitemap may hold its lock (others wait for it, then find it done).
SITEMAP_LOCK_SECONDS = 600


@shared_task(base=QueueTask, bind=True, name="lexique.prepare_sitemaps")
def prepare_sitemaps_task(self: Task, *, stamp: str) -> dict[str, Any]:
    """Bring the stored sitemap to the current state of the published set (`stamp`: the state that asked;
    one task per state, and a task finding the sitemap already there writes nothing)."""
    # One at a time, whatever the number of workers and hosts: a task that read an older state must not
    # write its manifest after a newer one. The one that waited finds the work done, or does what is left.
    lock = current_app.backend.client.lock(f"lexique-sitemaps:{settings.CELERY_TASK_DEFAULT_QUEUE}",
                                           timeout=SITEMAP_LOCK_SECONDS, blocking_timeout=SITEMAP_LOCK_SECONDS)
    with lock:
        manifest = prepare_sitemaps(progress=lambda done, total: report_progress(self, done=done, total=total))
    return {"stamp": manifest.stamp, "files": len(manifest.files)}


def ask_for_sitemaps(stamp: str = "") -> None:
    """Have a worker bring the sitemap to the current state, `stamp` when the caller has read it (sent once
    per state)."""
    stamp = stamp or current_stamp()
    enqueue(prepare_sitemaps_task, task_id("sitemaps", stamp), stamp=stamp)


# The version of the published set this process last asked a sitemap for.
_asked_for = {"version": -1}


def _after_publication(sender: object, *, version: int | None = None, **kwargs: Any) -> None:
    # Without a task queue, the first request for the sitemap after a publication prepares it.
    if not queue_enabled():
        return
    # A transaction that published many terms (an import) sends one signal per term once it commits: the
    # first asks for the state after all of them, the others find it asked for.
    if version is not None and version <= _asked_for["version"]:
        return
    stamp = current_stamp()
    _asked_for["version"] = stamp_version(stamp)
    ask_for_sitemaps(stamp)


published_set_changed.connect(_after_publication, dispatch_uid="lexique-sitemaps-after-publication")
edition_published.connect(_after_publication, dispatch_uid="lexique-sitemaps-after-edition")
