"""The task queue: `celery -A config worker` runs the tasks the site enqueues (settings CELERY_*).

A worker yields to the web: it lowers its own scheduling priority (LEXIQUE_WORKER_NICE) as it starts,
before its pool's processes (and the processes they start to build books) are made, so that they all
inherit it. On Linux a process without an I/O priority of its own takes it from its nice value, so the
worker's disk work yields too. Readers of term pages thus get the processors first; the builds and imports
use what is left, and the web's latency does not follow the queue's load.
"""
import os
from typing import Any

from celery import Celery
from celery.signals import celeryd_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("lexique")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each package keeps its tasks beside the work they do, in its own tasks.py.
app.autodiscover_tasks(["lexique.services", "lexique.publishing", "lexique.interop", "lexique.editions"])


def yield_to_web(nice: int) -> int:
    """Lower this process's CPU (and so I/O) priority to `nice` (never raise it: an operator's `nice` wins);
    the priority it has now."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    wanted = max(current, min(19, nice))
    if wanted != current:
        os.setpriority(os.PRIO_PROCESS, 0, wanted)
    return wanted


@celeryd_init.connect
def _worker_starts(**_kwargs: Any) -> None:
    from django.conf import settings

    yield_to_web(int(settings.LEXIQUE_WORKER_NICE))


@worker_ready.connect
def _worker_ready(sender: Any = None, **_kwargs: Any) -> None:
    from django.conf import settings

    from lexique.platform.orphans import watch_for_orphans

    if settings.CELERY_BROKER_URL:
        watch_for_orphans(app, grace=settings.LEXIQUE_ORPHAN_GRACE_SECONDS, every=settings.LEXIQUE_ORPHAN_CHECK_SECONDS)
