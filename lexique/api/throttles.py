"""Request rates per client, read from the settings at each request (so that they can be turned per site)."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from lexique.platform.clients import client_address

if TYPE_CHECKING:
    # For the type checker only: rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES).
    from rest_framework.views import APIView


class _CurrentRatesMixin:
    scope: str | None  # the throttle's own, set by DRF's classes

    # DRF copies the rates into a class attribute when its module is imported; reading them
    # here instead lets a deployment (and the tests) change them without re-importing DRF.
    def get_rate(self) -> str | None:
        # Rates are texts such as "120/minute" (the stubs say numbers); a throttle without a scope has none.
        rates = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope or "")

    # DRF would trust X-Forwarded-For as sent when NUM_PROXIES is unset: one rule for the whole site instead.
    def get_ident(self, request: Request | HttpRequest) -> str:
        return client_address(request)


class AnonymousThrottle(_CurrentRatesMixin, AnonRateThrottle):
    """Anonymous clients, by address."""


class UserThrottle(_CurrentRatesMixin, UserRateThrottle):
    """Signed-in clients, by account (anonymous ones fall back to their address)."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # the anonymous throttle already counts them
        return super().get_cache_key(request, view)


class TokenThrottle(_CurrentRatesMixin, ScopedRateThrottle):
    """Password checks for tokens: a low rate per address against guessing."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
