"""Messages to authors about their proposals, sent once the review is safely committed."""
import contextlib
import contextvars
import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)
_silenced = contextvars.ContextVar("lexique_notifications_silenced", default=False)


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """No e-mail to authors inside this block (loading demo data or imports, say)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def notify_author_of_review(revision: Any) -> None:
    """E-mail the author the moderator's decision and comment (also shown in 'my contributions')."""
    author = revision.author
    if not author.email or _silenced.get():
        return
    context = {
        "revision": revision,
        "author": author,
        "contributions_url": settings.SITE_URL.rstrip("/") + reverse("lexique:my-contributions"),
    }
    subject = render_to_string("lexique/email/review_subject.txt", context).strip()
    body = render_to_string("lexique/email/review_body.txt", context)
    try:
        send_mail(subject, body, None, [author.email])
    except Exception:
        # The decision is saved and visible on the site; a failed e-mail must not turn it into an error.
        logger.exception("Could not e-mail %s about revision %s", author.pk, revision.pk)
