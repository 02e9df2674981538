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
from django.utils import translation

from lexique.core.content import field_label
from lexique.models import Revision, TermFollow
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.services.merge import merge_proposal
from lexique.services.preferences import email_language, email_languages
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
    """E-mail the author the moderator's decision and comment, in the author's language.

    An approval links to the term as now published; any other decision to the proposal, where the
    moderator's comment is and what the author may do next.
    """
    author = revision.author
    if not author.email or _silenced.get():
        return
    with translation.override(email_language(author)):
        approved = revision.state == Revision.State.APPROVED
        context = {
            "revision": revision,
            "author": author,
            "approved": approved,
            "url": _absolute(revision.term.get_absolute_url() if approved
                             else reverse("lexique:proposal", args=[revision.pk])),
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
    languages = email_languages(recipients)
    messages = []
    for person in recipients:
        if not person.email:
            continue
        with translation.override(languages[person.pk]):
            context = {"comment": comment, "person": person, "url": _comment_link(comment, person)}
            subject = render_to_string("lexique/email/comment_subject.txt", context).strip()
            messages.append((subject, render_to_string("lexique/email/comment_body.txt", context), person.email))
    deliver(messages)


def _comment_link(comment: Any, person: Any) -> str:
    """Where `person` reads the thread: the author their proposal, moderators the review page, anyone a
    term's discussion (in the language the person is written to, which is active)."""
    if not comment.proposal_id:
        return _absolute(reverse("lexique:discussion", kwargs={"slug": comment.term.slug}))
    if person.pk == comment.proposal.author_id:
        return _absolute(reverse("lexique:proposal", args=[comment.proposal_id]))
    return _absolute(reverse("lexique:review", args=[comment.proposal_id]))


def _open_proposals_left_behind(revision: Any) -> list[Any]:
    """The term's proposals still open that start from an older version than `revision`, just published."""
    return list(
        Revision.objects.filter(term_id=revision.term_id, state__in=OPEN_PROPOSAL_STATES)
        .exclude(base_revision_id=revision.pk).exclude(pk=revision.pk)
        .select_related("author", "base_revision", "term").order_by("author_id", "number")
    )


def notify_of_publication(revision: Any) -> None:
    """A new version of a published term is out: one e-mail to each person concerned, in their language.

    The authors of proposals it leaves behind are told what it means for them (the fields it changed that
    they changed too, to settle, or an update that takes a click); the term's followers get the new version.
    Nobody gets two e-mails for one publication: the author of the version (told by the review e-mail) and
    the moderator who published it get none of these, an author who follows gets only the one about their
    proposal.
    """
    if _silenced.get():
        return
    term = revision.term
    left_behind: dict[Any, list[Any]] = {}
    for proposal in _open_proposals_left_behind(revision):
        if proposal.author_id not in (revision.reviewer_id, revision.author_id):
            left_behind.setdefault(proposal.author, []).append(proposal)
    told = {person.pk for person in left_behind} | {revision.reviewer_id, revision.author_id}
    followers = [follow.user for follow in TermFollow.objects.filter(term_id=revision.term_id)
                 .exclude(user_id__in=[pk for pk in told if pk is not None]).select_related("user")]
    people = [person for person in [*left_behind, *followers] if person.email and person.is_active]
    languages = email_languages(people)
    messages = []
    for person in people:
        with translation.override(languages[person.pk]):
            if person in left_behind:
                proposals = [
                    {"revision": proposal, "url": _absolute(reverse("lexique:proposal", args=[proposal.pk])),
                     "conflicts": [field_label(item.name)
                                   for item in merge_proposal(proposal, current=revision).conflicts]}
                    for proposal in left_behind[person]
                ]
                context = {"revision": revision, "term": term, "person": person, "proposals": proposals}
                template = "lexique/email/left_behind"
            else:
                context = {"revision": revision, "term": term, "person": person, "url": _absolute(
                    reverse("lexique:term-version", kwargs={"slug": term.slug, "version": revision.version}))}
                template = "lexique/email/version"
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            messages.append((subject, render_to_string(f"{template}_body.txt", context), person.email))
    deliver(messages)
