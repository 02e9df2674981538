"""How a finished e-mail leaves the site: the message, its signed one-click unsubscribe link, the streams
an address may leave. What is said to whom, and when, is `notifications`; a worker of the task queue
calls `deliver` (lexique.services.tasks)."""
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lexique.models import EmailSuppression

UNSUBSCRIBE_SALT = "lexique.services.notifications.unsubscribe"
# Streams of e-mail an address can leave: what it hears as a contributor, and account e-mails nobody
# signed in asked for (a sign-up's confirmation, a warning that passwords are being tried).
NOTICES, ACCOUNT = "notices", "account"
STREAMS = (NOTICES, ACCOUNT)


@dataclass(frozen=True)
class Email:
    """One finished message to one address. `requested`: asked for by the person themselves (a password
    reset, a new confirmation link), so delivered even to an address that unsubscribed from `stream`."""

    to: str
    subject: str
    body: str
    stream: str = NOTICES
    requested: bool = False
    # The language the message is written in (its unsubscribe lines are added in it); '' for the site's.
    language: str = ""


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


def deliver(email: Email) -> None:
    """Send one finished message (a worker of the task queue does), with its unsubscribe link and headers,
    unless its address left its stream. A mail server that fails raises: the task tries again."""
    if not email.requested and is_suppressed(email.to, email.stream):
        return
    link = unsubscribe_url(email.to, email.stream)
    with translation.override(email.language or settings.LANGUAGE_CODE[:2]):
        footer = render_to_string("lexique/email/unsubscribe_footer.txt", {"url": link, "stream": email.stream})
    EmailMessage(email.subject, _with_footer(email.body, footer), None, [email.to],
                 headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                          "Auto-Submitted": "auto-generated"}).send()


def _with_footer(body: str, footer: str) -> str:
    """The unsubscribe lines just above the signature (its "-- " line), so that the signature stays last."""
    head, mark, signature = body.rpartition("\n-- \n")
    if not mark:
        return body.rstrip("\n") + "\n\n" + footer
    return head.rstrip("\n") + "\n\n" + footer.rstrip("\n") + "\n" + mark + signature


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe(address: str, stream: str) -> None:
    """No more e-mail of `stream` to `address` (a contributor's notices: their choice becomes 'none')."""
    EmailSuppression.objects.get_or_create(address_digest=address_digest(address), stream=stream)


def resubscribe(address: str, stream: str) -> None:
    EmailSuppression.objects.filter(address_digest=address_digest(address), stream=stream).delete()


def stream_label(stream: str) -> str:
    return _("les courriels de suivi (commentaires, décisions, nouvelles versions)") if stream == NOTICES \
        else _("les courriels de compte que vous n'avez pas demandés (inscriptions, alertes de connexion)")
