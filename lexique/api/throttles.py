"""Request rates per client, read from the settings at each request (so that they can be turned per site)."""
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from lexique.platform.clients import client_address


class _CurrentRatesMixin:
    # DRF copies the rates into a class attribute when its module is imported; reading them
    # here instead lets a deployment (and the tests) change them without re-importing DRF.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    # DRF would trust X-Forwarded-For as sent when NUM_PROXIES is unset: one rule for the whole site instead.
    def get_ident(self, request):
        return client_address(request)


class AnonymousThrottle(_CurrentRatesMixin, AnonRateThrottle):
    """Anonymous clients, by address."""


class UserThrottle(_CurrentRatesMixin, UserRateThrottle):
    """Signed-in clients, by account (anonymous ones fall back to their address)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # the anonymous throttle already counts them
        return super().get_cache_key(request, view)


class TokenThrottle(_CurrentRatesMixin, ScopedRateThrottle):
    """Password checks for tokens: a low rate per address against guessing."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
