"""Sign-in limits with django-axes: the backend that counts, and the page a locked-out client gets."""
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class SignInLimitBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its account or address is locked out; counts nothing without a request.

    Django's test client and management commands authenticate without a request: no client to lock
    out there, so they go on to the next backend instead of failing.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """429 with the wait: the API's JSON error under /api/, a page everywhere else."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    seconds = int(cool_off.total_seconds()) if cool_off else None
    response: HttpResponse
    if request.path.startswith("/api/"):
        detail = _("Trop d'échecs de connexion : réessayez dans %(minutes)d minutes.") % {"minutes": minutes or 0}
        response = JsonResponse({"status": 429, "code": "locked_out", "detail": detail, "errors": {}}, status=429)
    else:
        response = render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
