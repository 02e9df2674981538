"""Sign-in limits with django-axes: what locks, what backs off, and the page a refused client gets.

Three limits, all counted in django-axes' own records, none of which lets a stranger lock an owner out:

- a lockout per (account, client address) pair, django-axes' own (`AXES_LOCKOUT_PARAMETERS`);
- a slower back-off per account, counted over every address (`LOGIN_ACCOUNT_FAILURE_LIMIT` failures
  within `LOGIN_ACCOUNT_BACKOFF_MINUTES`), which never refuses a device or address that signed in to
  that account before (a signed cookie, or django-axes' log of successful sign-ins);
- a limit per client address over every account (`LOGIN_ADDRESS_FAILURE_LIMIT`), against one client
  trying one password on many accounts.
"""
import hashlib
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lexique.platform.clients import client_address

KNOWN_DEVICE_COOKIE = "lexique_device"
KNOWN_DEVICE_SALT = "lexique.platform.signin.known-device"
# Accounts one device remembers (a shared computer signs in to a few; more is not a device but a bot).
KNOWN_DEVICE_ACCOUNTS = 5


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_ACCOUNT_BACKOFF_MINUTES)


def account_failures(username: str) -> int:
    """Failed sign-ins for `username` within the back-off window, from every address."""
    since = timezone.now() - _window()
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


def address_failures(address: str) -> int:
    """Failed sign-ins from `address` within the back-off window, for every account."""
    since = timezone.now() - _window()
    return AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since).count()


def _device_mark(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()[:16]


def _known_marks(request: HttpRequest) -> list[str]:
    max_age = settings.LOGIN_KNOWN_DEVICE_DAYS * 86400
    value = request.get_signed_cookie(KNOWN_DEVICE_COOKIE, default="", salt=KNOWN_DEVICE_SALT, max_age=max_age) or ""
    return [mark for mark in value.split(".") if mark][:KNOWN_DEVICE_ACCOUNTS]


def is_known_client(request: HttpRequest, username: str) -> bool:
    """This device (its signed cookie) or this address (django-axes' log) signed in to `username` before."""
    if _device_mark(username) in _known_marks(request):
        return True
    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_DEVICE_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=client_address(request),
                                    attempt_time__gte=since).exists()


def backoff_reason(request: HttpRequest, username: str | None) -> str | None:
    """"account" or "address" when the slower limits refuse this sign-in, None when they let it through."""
    account_limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if username and account_limit > 0 and account_failures(username) >= account_limit \
            and not is_known_client(request, username):
        return "account"
    address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if address_limit > 0 and address_failures(client_address(request)) >= address_limit:
        return "address"
    return None


class SignInLimitBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its (account, address) pair is locked out or a slower limit holds.

    Django's test client and management commands authenticate without a request: no client to lock
    out there, so they go on to the next backend instead of failing.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        reason = backoff_reason(request, username)
        if reason is not None:
            # Refused before the password is checked; django-axes still records the failure, so the
            # back-off lasts as long as the guessing does.
            request.lexique_backoff = reason  # type: ignore[attr-defined]
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("Sign-in refused by the account or address back-off")
        return None


@receiver(user_logged_in, dispatch_uid="lexique-known-device")
def _remember_sign_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    if request is not None:
        request.lexique_signed_in = user.get_username()  # type: ignore[attr-defined]


class KnownDeviceMiddleware:
    """After a successful sign-in, the device keeps a signed cookie naming (as digests) the accounts it
    signed in to: the per-account back-off never refuses it."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        username = getattr(request, "lexique_signed_in", None)
        if username:
            mark = _device_mark(username)
            marks = [mark, *(known for known in _known_marks(request) if known != mark)][:KNOWN_DEVICE_ACCOUNTS]
            response.set_signed_cookie(
                KNOWN_DEVICE_COOKIE, ".".join(marks), salt=KNOWN_DEVICE_SALT,
                max_age=settings.LOGIN_KNOWN_DEVICE_DAYS * 86400, httponly=True,
                secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
            )
        return response


def _wait(request: HttpRequest) -> timedelta | None:
    if getattr(request, "lexique_backoff", None):
        return _window()
    return get_cool_off(request)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """429 with the wait: the API's JSON error under /api/, a page everywhere else."""
    cool_off = _wait(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    seconds = int(cool_off.total_seconds()) if cool_off else None
    backoff = getattr(request, "lexique_backoff", None)
    response: HttpResponse
    if request.path.startswith("/api/"):
        detail = _("Trop d'échecs de connexion : réessayez dans %(minutes)d minutes.") % {"minutes": minutes or 0}
        response = JsonResponse({"status": 429, "code": "locked_out", "detail": detail, "errors": {}}, status=429)
    else:
        response = render(request, "registration/lockout.html", {"minutes": minutes, "backoff": backoff},
                          status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
