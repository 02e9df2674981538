"""E-mails, sent by the task queue's workers: a slow or absent mail server never holds a web request."""
from typing import Any

from celery import Task, shared_task

from lexique.platform.queue import QueueTask
from lexique.services.mail import Email, deliver


# No result kept: a message may hold a secret (a password reset link), which stays out of Redis once sent.
@shared_task(base=QueueTask, bind=True, name="lexique.send_email", ignore_result=True)
def send_email_task(self: Task, *, email: dict[str, Any], what: str) -> dict[str, str]:
    """Send one e-mail to one person (no one sees the others' addresses; a retry sends only this one).
    `what` names what the message is about, for the log of a final failure."""
    deliver(Email(**email))
    return {}
