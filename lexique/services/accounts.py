"""Accounts: confirming e-mail addresses, limits on sign-ups, telling an owner their account is being guessed.

Addresses are confirmed with Django's own token generator: a link that carries a hash of the account's
state (the address to confirm, the address confirmed last), so it works once and dies when the address
changes, with nothing stored.
"""
from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lexique.models import AccountEmail
from lexique.platform.signin import account_failures
from lexique.services.errors import PermissionDenied, RateLimited, ValidationError
from lexique.services.notifications import notify_owner_of_guessing, send_confirmation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

GUESSING_ALERT_SECONDS = 3600
DAY_SECONDS = 86400
HOUR_SECONDS = 3600
# Confirmation links an account may ask for again in a day (on the account page).
RESENDS_PER_DAY = 3


class ConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """A link that confirms the address it was sent to, once (valid PASSWORD_RESET_TIMEOUT seconds)."""

    key_salt = "lexique.services.accounts.ConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        record = AccountEmail.objects.filter(user=user).first()
        confirmed = record.confirmed_email if record else ""
        return f"{user.pk}{timestamp}{address_to_confirm(user).lower()}{confirmed.lower()}{user.is_active}"


confirmation_tokens = ConfirmationTokenGenerator()


def _record(user: Any) -> AccountEmail | None:
    return AccountEmail.objects.filter(user_id=user.pk).select_related("user").first()


def address_to_confirm(user: Any) -> str:
    """The new address the person asked for, else the account's own."""
    record = AccountEmail.objects.filter(user_id=user.pk).only("pending_email").first()
    return (record.pending_email if record and record.pending_email else user.email) or ""


def is_confirmed(user: Any) -> bool:
    record = _record(user)
    return record is not None and record.is_confirmed()


def may_contribute(user: Any) -> bool:
    """The one rule: proposing, commenting and following need a confirmed address, except for accounts
    made before addresses were confirmed or by an administrator (no row), which keep working."""
    if not user or not user.is_authenticated:
        return False
    record = _record(user)
    return record is None or record.is_confirmed()


def should_confirm(user: Any) -> bool:
    """Whether to ask this person, at sign-in and on their account page, to confirm their address."""
    return bool(user and user.is_authenticated and user.email and not is_confirmed(user))


def require_confirmed_address(user: Any) -> None:
    if not may_contribute(user):
        raise PermissionDenied(_("Confirmez d'abord votre adresse courriel : le lien est dans le courriel reçu "
                                 "à l'inscription, ou demandez-en un nouveau depuis votre compte."))


def count_event(key: str, seconds: int) -> int:
    """One more event under `key`, counted atomically in the shared cache for `seconds`."""
    cache.add(key, 0, timeout=seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=seconds)
        return 1


def address_key(address: str) -> str:
    # A digest: the cache need not hold anyone's address in clear.
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]


def within_daily_notices(address: str, *, purpose: str, limit: int = 1) -> bool:
    """Count one e-mail of `purpose` to `address` today; False past `limit` (then nothing is sent)."""
    window = int(time.time() // DAY_SECONDS)
    return count_event(f"lexique:notices:{purpose}:{window}:{address_key(address)}", DAY_SECONDS) <= limit


def count_signup(client: str) -> None:
    """One more account made from `client` this hour; RateLimited past SIGNUPS_PER_CLIENT_PER_HOUR."""
    limit = settings.SIGNUPS_PER_CLIENT_PER_HOUR
    if limit <= 0:
        return
    window = int(time.time() // HOUR_SECONDS)
    if count_event(f"lexique:signups:{window}:{address_key(client)}", HOUR_SECONDS) > limit:
        raise RateLimited(_("Trop de comptes ont été créés depuis votre adresse : réessayez dans une heure."))


@transaction.atomic
def start_confirmation(*, user: User) -> AccountEmail:
    """A new account from the sign-up page: unconfirmed until its owner follows the link sent to it.

    Whatever the number of sign-ups with one address, it gets one e-mail a day: the link, and the names
    of the other accounts that already hold it (so that their owner knows, and nobody else).
    """
    record, _created = AccountEmail.objects.get_or_create(user=user)
    others = list(get_user_model().objects.filter(email__iexact=user.email, is_active=True).exclude(pk=user.pk)
                  .order_by("pk").values_list("username", flat=True)[:10])
    if user.email and within_daily_notices(user.email, purpose="signup"):
        send_confirmation(user, address=user.email, token=confirmation_tokens.make_token(user), others=others,
                          requested=False)
    return record


@transaction.atomic
def resend_confirmation(*, user: User) -> None:
    """The person asks for the link again: at most RESENDS_PER_DAY a day to one address."""
    address = address_to_confirm(user)
    if not address:
        raise ValidationError({"email": [_("Votre compte n'a pas d'adresse courriel.")]})
    if not within_daily_notices(address, purpose="resend", limit=RESENDS_PER_DAY):
        raise RateLimited(_("Un lien vous a déjà été envoyé plusieurs fois aujourd'hui : réessayez demain."))
    send_confirmation(user, address=address, token=confirmation_tokens.make_token(user), others=[], requested=True)


@transaction.atomic
def change_address(*, user: User, email: str) -> None:
    """Ask for a new address: it replaces the account's once confirmed from a link sent to it."""
    email = get_user_model().objects.normalize_email(email.strip())
    if not email:
        raise ValidationError({"email": [_("Indiquez une adresse courriel.")]})
    record, _created = AccountEmail.objects.select_for_update().get_or_create(user=user)
    if email.lower() == (user.email or "").lower():
        record.pending_email = ""
        record.save(update_fields=["pending_email"])
        return
    record.pending_email = email
    record.save(update_fields=["pending_email"])
    if not within_daily_notices(email, purpose="resend", limit=RESENDS_PER_DAY):
        raise RateLimited(_("Un lien vous a déjà été envoyé plusieurs fois aujourd'hui : réessayez demain."))
    send_confirmation(user, address=email, token=confirmation_tokens.make_token(user), others=[], requested=True)


@transaction.atomic
def confirm_address(*, user: User, token: str) -> str:
    """Follow a confirmation link: the address it was sent to becomes the account's, confirmed.

    Returns that address; ValidationError for a link that is wrong, used or expired.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not confirmation_tokens.check_token(user, token):
        raise ValidationError({"token": [_("Ce lien de confirmation n'est pas valable : il a déjà servi, a "
                                           "expiré, ou l'adresse a changé depuis. Demandez-en un nouveau.")]})
    address = address_to_confirm(user)
    record, _created = AccountEmail.objects.select_for_update().get_or_create(user=user)
    if user.email != address:
        user.email = address
        user.save(update_fields=["email"])
    record.confirmed_email, record.confirmed_at, record.pending_email = address, timezone.now(), ""
    record.save(update_fields=["confirmed_email", "confirmed_at", "pending_email"])
    return address


@receiver(user_login_failed, dispatch_uid="lexique-guessing-alert")
def _alert_owner_of_guessing(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                             **kwargs: Any) -> None:
    """Past LOGIN_GUESSING_ALERT_FAILURES wrong passwords within the back-off window, the owner hears of
    it, at most once an hour (the cache key is taken first, so two processes cannot both send)."""
    model = get_user_model()
    username = credentials.get(model.USERNAME_FIELD) or credentials.get("username")
    threshold = settings.LOGIN_GUESSING_ALERT_FAILURES
    if request is None or not isinstance(username, str) or threshold <= 0:
        return
    failures = account_failures(username)
    if failures < threshold:
        return
    owner = model._default_manager.filter(**{model.USERNAME_FIELD: username}, is_active=True).first()
    if owner is None or not getattr(owner, "email", ""):
        return
    if cache.add(f"lexique:guessing-alert:{owner.pk}", 1, GUESSING_ALERT_SECONDS):
        notify_owner_of_guessing(owner, failures=failures)
