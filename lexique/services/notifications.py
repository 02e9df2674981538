"""Every e-mail the site sends, and the one way it leaves: `send()`, once what it tells is committed.

`send()` hands the finished messages to the task queue once the transaction that decided them has
committed; a worker sends each with `deliver()` (retried there if the mail server does not answer), so a
slow or absent mail server never holds a web request. Each message is written in the language of the
person it goes to and carries a signed one-click unsubscribe link (in its text and in the
`List-Unsubscribe` and `List-Unsubscribe-Post` headers); an address that used it gets no more e-mail of
that stream. A person hears of a term at most once an hour, or in one digest a day, or never: their
choice on the account page.
"""
import contextlib
import contextvars
import functools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lexique.core.content import field_label
from lexique.core.text import plain_links
from lexique.models import ContributorPreferences, PendingNotice, Revision, TermFollow
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.services.mail import ACCOUNT, NOTICES, Email, is_suppressed
from lexique.services.merge import merge_proposal
from lexique.services.preferences import email_language, email_languages
from lexique.services.tasks import send_email_task

logger = logging.getLogger(__name__)
# A person hears of a term at most once in this many seconds (an e-mail, or a line of the digest).
NOTICE_SECONDS = 3600
_silenced = contextvars.ContextVar("lexique_notifications_silenced", default=False)

@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """No e-mail inside this block (loading demo data or imports, say)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def send(emails: Sequence[Email], *, what: str) -> None:
    """The one way e-mail leaves the site: to the task queue once the transaction commits, never inside it."""
    batch = [email for email in emails if email.to]
    if not batch or _silenced.get():
        return
    for email in batch:
        transaction.on_commit(functools.partial(_enqueue, email, what))


def _enqueue(email: Email, what: str) -> None:
    domain = email.to.rpartition("@")[2]
    try:
        # The worker's log names the message by its domain only: a body may hold a password reset link.
        send_email_task.apply_async(kwargs={"email": asdict(email), "what": what},
                                    kwargsrepr=repr({"to": "…@" + domain, "what": what}))
    except Exception:  # the broker away: what was decided stands, the e-mail is lost and said so
        logger.exception("Could not queue an e-mail about %s to %s", what, domain)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notice_choice(user: Any) -> str:
    """"each", "daily" or "off": the person's choice, "off" once their address followed an unsubscribe link."""
    if user.email and is_suppressed(user.email, NOTICES):
        return "off"
    preferences = ContributorPreferences.objects.filter(user_id=user.pk).only("notices").first()
    return preferences.notices if preferences else "each"


def _notices(items: Sequence[tuple[Any, int, str, str, str]], *, what: str) -> None:
    """Route (person, term id, subject, body, digest line) by each person's choice: one e-mail per term
    and hour (the rest of the hour is left out: the page has it all), a line of tomorrow's digest, or nothing."""
    if _silenced.get():
        return
    emails = []
    for person, term_id, subject, body, line in items:
        if not person.email or not person.is_active:
            continue
        # A headword or a summary comes from a proposal nobody reviewed yet: its addresses are not links.
        subject, line = plain_links(subject), plain_links(line)
        choice = notice_choice(person)
        # One per person, term and hour, whether it becomes an e-mail or a line of the digest.
        if choice == "off" or not cache.add(f"lexique:notice:{person.pk}:{term_id}", 1, NOTICE_SECONDS):
            continue
        if choice == "daily":
            PendingNotice.objects.create(user=person, text=line)
        else:
            emails.append(Email(to=person.email, subject=subject, body=body, language=email_language(person)))
    send(emails, what=what)


def notify_author_of_review(revision: Any) -> None:
    """E-mail the author the moderator's decision and comment, in the author's language.

    An approval links to the term as now published; any other decision to the proposal, where the
    moderator's comment is and what the author may do next.
    """
    author = revision.author
    approved = revision.state == Revision.State.APPROVED
    with translation.override(email_language(author)):
        url = _absolute(revision.term.get_absolute_url() if approved
                        else reverse("lexique:proposal", args=[revision.pk]))
        context = {"revision": revision, "author": author, "approved": approved, "url": url,
                   "review_comment": plain_links(revision.review_comment or "")}
        subject = render_to_string("lexique/email/review_subject.txt", context).strip()
        body = render_to_string("lexique/email/review_body.txt", context)
    _notices([(author, revision.term_id, subject, body, f"{subject} — {url}")], what=f"revision {revision.pk}")


def notify_comment(comment: Any, recipients: list[Any]) -> None:
    """E-mail the people involved in a thread that someone wrote in it, each in their language; its links
    are not links."""
    languages = email_languages(recipients)
    items = []
    for person in recipients:
        with translation.override(languages[person.pk]):
            url = _comment_link(comment, person)
            context = {"comment": comment, "person": person, "url": url, "body": plain_links(comment.body)}
            subject = render_to_string("lexique/email/comment_subject.txt", context).strip()
            body = render_to_string("lexique/email/comment_body.txt", context)
        items.append((person, comment.term_id, subject, body, f"{subject} — {url}"))
    _notices(items, what=f"comment {comment.pk}")


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
    proposal. Each goes by the person's choice of notices (`_notices`).
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
    items = []
    for person in people:
        with translation.override(languages[person.pk]):
            if person in left_behind:
                proposals = [
                    {"revision": proposal, "url": _absolute(reverse("lexique:proposal", args=[proposal.pk])),
                     "conflicts": [field_label(item.name)
                                   for item in merge_proposal(proposal, current=revision).conflicts]}
                    for proposal in left_behind[person]
                ]
                url = proposals[0]["url"]
                context = {"revision": revision, "term": term, "person": person, "proposals": proposals}
                template = "lexique/email/left_behind"
            else:
                url = _absolute(reverse("lexique:term-version",
                                        kwargs={"slug": term.slug, "version": revision.version}))
                context = {"revision": revision, "term": term, "person": person, "url": url,
                           "summary": plain_links(revision.summary or "")}
                template = "lexique/email/version"
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}_body.txt", context)
        items.append((person, term.pk, subject, body, f"{subject} — {url}"))
    _notices(items, what=f"revision {revision.pk}")


def send_digests() -> int:
    """One e-mail per person with their day's notices (run once a day); returns how many were sent."""
    sent = 0
    with transaction.atomic():
        pending = list(PendingNotice.objects.select_for_update().select_related("user").order_by("user_id", "pk"))
        by_person: dict[int, list[PendingNotice]] = {}
        for notice in pending:
            by_person.setdefault(notice.user_id, []).append(notice)
        emails = []
        for notices in by_person.values():
            person = notices[0].user
            if person.email and person.is_active:
                language = email_language(person)
                context = {"person": person, "lines": [notice.text for notice in notices]}
                with translation.override(language):
                    body = render_to_string("lexique/email/digest_body.txt", context)
                    subject = render_to_string("lexique/email/digest_subject.txt", context).strip()
                emails.append(Email(to=person.email, subject=subject, body=body, language=language))
        PendingNotice.objects.filter(pk__in=[notice.pk for notice in pending]).delete()
        send(emails, what="the daily digests")
        sent = len(emails)
    return sent


def send_confirmation(user: Any, *, address: str, token: str, others: Sequence[str], requested: bool) -> None:
    """The link that confirms `address` for `user` (and, for a sign-up, the other accounts holding it)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    context = {"person": user, "address": address, "others": list(others),
               "url": _absolute(reverse("confirm-email", kwargs={"uidb64": uid, "token": token})),
               "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    # In the language of the page the person has just used (signing up, changing their address).
    language = translation.get_language() or settings.LANGUAGE_CODE
    subject = render_to_string("registration/confirm_subject.txt", context).strip()
    body = render_to_string("registration/confirm_email.txt", context)
    send([Email(to=address, subject=subject, body=body, stream=ACCOUNT, requested=requested, language=language[:2])],
         what=f"the address of account {user.pk}")


def notify_owner_of_guessing(user: Any, *, failures: int) -> None:
    """Tell an account's owner that wrong passwords are being tried on it (the caller limits how often)."""
    language = email_language(user)
    with translation.override(language):
        context = {"person": user, "failures": failures, "minutes": settings.LOGIN_ACCOUNT_BACKOFF_MINUTES,
                   "reset_url": _absolute(reverse("password_reset"))}
        subject = render_to_string("registration/guessing_subject.txt", context).strip()
        body = render_to_string("registration/guessing_email.txt", context)
    send([Email(to=user.email, subject=subject, body=body, stream=ACCOUNT, language=language)],
         what=f"sign-in failures of account {user.pk}")


def notify_reporter(report: Any) -> None:
    """E-mail a moderator's answer to the visitor who reported an error, in the language they wrote in; asked
    for (they left their address for it), so sent even to an address that left the notices."""
    language = report.language or settings.LANGUAGE_CODE[:2]
    with translation.override(language):
        term = report.term
        headword = getattr(term, f"headword_{language}", "") or term.headword_fr
        context = {"headword": plain_links(headword), "answer": plain_links(report.answer),
                   "message": plain_links(report.message), "url": _absolute(term.get_absolute_url())}
        subject = render_to_string("lexique/email/report_subject.txt", context).strip()
        body = render_to_string("lexique/email/report_body.txt", context)
    send([Email(to=report.email, subject=subject, body=body, requested=True, language=language)],
         what=f"error report {report.pk}")


def send_password_reset(*, to: str, subject: str, body: str) -> None:
    """Django's password-reset e-mail (rendered in the language of the page that asked), through the same way
    out: after commit, by the task queue, so a known address answers as fast as an unknown one; asked for,
    so never suppressed."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    send([Email(to=to, subject=subject, body=body, stream=ACCOUNT, requested=True, language=language)],
         what="a password reset")
