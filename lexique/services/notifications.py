"""Messages about proposals, discussions and followed terms, sent once what they tell is safely committed.

Every e-mail of the site leaves through `deliver`: rendered where it is decided, sent by the task queue
once the transaction that decided it has committed (retried there if the mail server does not answer).
"""
import contextlib
import contextvars
import functools
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from lexique.models import TermFollow
from lexique.services.tasks import send_email_task

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
    deliver([(subject, body, author.email)])


def deliver(messages: Sequence[tuple[str, str, str]]) -> None:
    """Send each (subject, body, address) as its own e-mail, by the task queue, once the current
    transaction has committed (at once outside one). A mail server that fails is retried by the task,
    then logged; it never turns what was decided into an error."""
    if not messages or _silenced.get():
        return
    for subject, body, address in messages:
        transaction.on_commit(functools.partial(_send, subject, body, address))


def _send(subject: str, body: str, address: str) -> None:
    try:
        # The worker's log names the message by its domain only: a body may hold a password reset link.
        send_email_task.apply_async(kwargs={"subject": subject, "body": body, "address": address},
                                    kwargsrepr=repr({"to": "…@" + address.rpartition("@")[2]}))
    except Exception:  # the broker away: the decision stands, the e-mail is lost and said so
        logger.exception("Could not queue an e-mail to %s", address.rpartition("@")[2])


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify_comment(comment: Any, recipients: list[Any]) -> None:
    """E-mail the people involved in a thread that someone wrote in it."""
    if comment.proposal_id:
        # The author follows their proposal in 'my contributions'; moderators on the review page.
        links = {
            person.pk: _absolute(reverse("lexique:proposal", args=[comment.proposal_id]))
            if person.pk == comment.proposal.author_id
            else _absolute(reverse("lexique:review", args=[comment.proposal_id]))
            for person in recipients
        }
    else:
        url = _absolute(reverse("lexique:discussion", kwargs={"slug": comment.term.slug}))
        links = {person.pk: url for person in recipients}
    messages = []
    for person in recipients:
        if not person.email:
            continue
        context = {"comment": comment, "person": person, "url": links[person.pk]}
        subject = render_to_string("lexique/email/comment_subject.txt", context).strip()
        messages.append((subject, render_to_string("lexique/email/comment_body.txt", context), person.email))
    deliver(messages)


def notify_followers_of_publication(revision: Any) -> None:
    """E-mail the people who follow a term that a new version of it is published."""
    follows = TermFollow.objects.filter(term_id=revision.term_id).exclude(user_id=revision.reviewer_id)
    term = revision.term
    url = _absolute(reverse("lexique:term-version", kwargs={"slug": term.slug, "version": revision.version}))
    messages = []
    for follow in follows.select_related("user"):
        person = follow.user
        if not person.email or not person.is_active:
            continue
        context = {"revision": revision, "term": term, "person": person, "url": url}
        subject = render_to_string("lexique/email/version_subject.txt", context).strip()
        messages.append((subject, render_to_string("lexique/email/version_body.txt", context), person.email))
    deliver(messages)
