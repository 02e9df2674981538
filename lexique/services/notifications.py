"""Every e-mail the site sends, and the one way it leaves: `send()`, once what it tells is committed.

`send()` is where a task queue takes over: it hands the finished messages to `deliver()` after the
transaction commits. Each message carries a signed one-click unsubscribe link (in its text and in the
`List-Unsubscribe` and `List-Unsubscribe-Post` headers); an address that used it gets no more e-mail of
that stream. A person hears of a term at most once an hour, or in one digest a day, or never: their
choice on the account page.
"""
import contextlib
import contextvars
import hashlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from lexique.core.text import plain_links
from lexique.models import ContributorPreferences, EmailSuppression, PendingNotice, TermFollow

logger = logging.getLogger(__name__)
_silenced = contextvars.ContextVar("lexique_notifications_silenced", default=False)

UNSUBSCRIBE_SALT = "lexique.services.notifications.unsubscribe"
# Streams of e-mail an address can leave: what it hears as a contributor, and account e-mails nobody
# signed in asked for (a sign-up's confirmation, a warning that passwords are being tried).
NOTICES, ACCOUNT = "notices", "account"
STREAMS = (NOTICES, ACCOUNT)
NOTICE_SECONDS = 3600


@dataclass(frozen=True)
class Email:
    """One finished message to one address. `requested`: asked for by the person themselves (a password
    reset, a new confirmation link), so delivered even to an address that unsubscribed from `stream`."""

    to: str
    subject: str
    body: str
    stream: str = NOTICES
    requested: bool = False


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """No e-mail inside this block (loading demo data or imports, say)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def address_digest(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def unsubscribe_token(address: str, stream: str) -> str:
    """Signed, never expiring (an old e-mail's link must still work), naming the address and the stream."""
    return signing.dumps({"a": address.strip().lower(), "s": stream}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") not in STREAMS or not isinstance(payload.get("a"), str):
        return None
    return payload["a"], payload["s"]


def unsubscribe_url(address: str, stream: str) -> str:
    return _absolute(reverse("unsubscribe", kwargs={"token": unsubscribe_token(address, stream)}))


def is_suppressed(address: str, stream: str) -> bool:
    return EmailSuppression.objects.filter(address_digest=address_digest(address), stream=stream).exists()


def send(emails: Sequence[Email], *, what: str) -> None:
    """The one way e-mail leaves the site: after the transaction commits, never inside it."""
    batch = [email for email in emails if email.to]
    if not batch or _silenced.get():
        return
    transaction.on_commit(lambda: deliver(batch, what=what))


def deliver(emails: Sequence[Email], *, what: str) -> None:
    """Send finished messages, one per person (no one sees another's address); a failure is logged."""
    messages = []
    for email in emails:
        if not email.requested and is_suppressed(email.to, email.stream):
            continue
        link = unsubscribe_url(email.to, email.stream)
        footer = render_to_string("lexique/email/unsubscribe_footer.txt", {"url": link, "stream": email.stream})
        messages.append(EmailMessage(email.subject, _with_footer(email.body, footer), None, [email.to],
                                     headers={"List-Unsubscribe": f"<{link}>",
                                              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                                              "Auto-Submitted": "auto-generated"}))
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    except Exception:
        # What the e-mail tells is saved and visible on the site: a mail server down is logged, never raised.
        logger.exception("Could not send the e-mails about %s", what)


def _with_footer(body: str, footer: str) -> str:
    """The unsubscribe lines just above the signature (its "-- " line), so that the signature stays last."""
    head, mark, signature = body.rpartition("\n-- \n")
    if not mark:
        return body.rstrip("\n") + "\n\n" + footer
    return head.rstrip("\n") + "\n\n" + footer.rstrip("\n") + "\n" + mark + signature


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
            emails.append(Email(to=person.email, subject=subject, body=body))
    send(emails, what=what)


def notify_author_of_review(revision: Any) -> None:
    """E-mail the author the moderator's decision and comment (also shown in 'my contributions')."""
    author = revision.author
    url = _absolute(reverse("lexique:my-contributions"))
    context = {"revision": revision, "author": author, "contributions_url": url,
               "review_comment": plain_links(revision.review_comment or "")}
    subject = render_to_string("lexique/email/review_subject.txt", context).strip()
    body = render_to_string("lexique/email/review_body.txt", context)
    _notices([(author, revision.term_id, subject, body, f"{subject} — {url}")], what=f"revision {revision.pk}")


def notify_comment(comment: Any, recipients: list[Any]) -> None:
    """E-mail the people involved in a thread that someone wrote in it; its links are not links."""
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
    items = []
    for person in recipients:
        context = {"comment": comment, "person": person, "url": links[person.pk], "body": plain_links(comment.body)}
        subject = render_to_string("lexique/email/comment_subject.txt", context).strip()
        body = render_to_string("lexique/email/comment_body.txt", context)
        items.append((person, comment.term_id, subject, body, f"{subject} — {links[person.pk]}"))
    _notices(items, what=f"comment {comment.pk}")


def notify_followers_of_publication(revision: Any) -> None:
    """E-mail the people who follow a term that a new version of it is published."""
    follows = TermFollow.objects.filter(term_id=revision.term_id).exclude(user_id=revision.reviewer_id)
    term = revision.term
    url = _absolute(reverse("lexique:term-version", kwargs={"slug": term.slug, "version": revision.version}))
    items = []
    for follow in follows.select_related("user"):
        person = follow.user
        context = {"revision": revision, "term": term, "person": person, "url": url,
                   "summary": plain_links(revision.summary or "")}
        subject = render_to_string("lexique/email/version_subject.txt", context).strip()
        body = render_to_string("lexique/email/version_body.txt", context)
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
                context = {"person": person, "lines": [notice.text for notice in notices]}
                emails.append(Email(to=person.email, body=render_to_string("lexique/email/digest_body.txt", context),
                                    subject=render_to_string("lexique/email/digest_subject.txt", context).strip()))
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
    subject = render_to_string("registration/confirm_subject.txt", context).strip()
    body = render_to_string("registration/confirm_email.txt", context)
    send([Email(to=address, subject=subject, body=body, stream=ACCOUNT, requested=requested)],
         what=f"the address of account {user.pk}")


def notify_owner_of_guessing(user: Any, *, failures: int) -> None:
    """Tell an account's owner that wrong passwords are being tried on it (the caller limits how often)."""
    context = {"person": user, "failures": failures, "minutes": settings.LOGIN_ACCOUNT_BACKOFF_MINUTES,
               "reset_url": _absolute(reverse("password_reset"))}
    subject = render_to_string("registration/guessing_subject.txt", context).strip()
    body = render_to_string("registration/guessing_email.txt", context)
    send([Email(to=user.email, subject=subject, body=body, stream=ACCOUNT)],
         what=f"sign-in failures of account {user.pk}")


def send_password_reset(*, to: str, subject: str, body: str) -> None:
    """Django's password-reset e-mail, through the same way out (asked for, so never suppressed)."""
    send([Email(to=to, subject=subject, body=body, stream=ACCOUNT, requested=True)], what="a password reset")


def unsubscribe(address: str, stream: str) -> None:
    """No more e-mail of `stream` to `address` (a contributor's notices: their choice becomes 'none')."""
    EmailSuppression.objects.get_or_create(address_digest=address_digest(address), stream=stream)


def resubscribe(address: str, stream: str) -> None:
    EmailSuppression.objects.filter(address_digest=address_digest(address), stream=stream).delete()


def stream_label(stream: str) -> str:
    return _("les courriels de suivi (commentaires, décisions, nouvelles versions)") if stream == NOTICES \
        else _("les courriels de compte que vous n'avez pas demandés (inscriptions, alertes de connexion)")
