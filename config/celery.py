"""The task queue: `celery -A config worker` runs the tasks the site enqueues (settings CELERY_*)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("lexique")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each package keeps its tasks beside the work they do, in its own tasks.py.
app.autodiscover_tasks(["lexique.services", "lexique.publishing", "lexique.interop", "lexique.editions"])
