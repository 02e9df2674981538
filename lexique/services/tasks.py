"""E-mails, sent by the task queue's workers: a slow or absent mail server never holds a web request."""
from celery import Task, shared_task
from django.core.mail import EmailMessage

from lexique.platform.queue import QueueTask


# No result kept: a message may hold a secret (a password reset link), which stays out of Redis once sent.
@shared_task(base=QueueTask, bind=True, name="lexique.send_email", ignore_result=True)
def send_email_task(self: Task, *, subject: str, body: str, address: str) -> dict[str, str]:
    """Send one e-mail to one person (no one sees the others' addresses; a retry sends only this one)."""
    EmailMessage(subject, body, None, [address]).send()
    return {}
