"""The site's configuration; the task queue's app is loaded with it, so that tasks are sent through it."""
from .celery import app as celery_app

__all__ = ("celery_app",)
