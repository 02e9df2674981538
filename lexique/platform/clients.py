"""The address of the client behind a request: the one rule for throttles, sign-in limits and logs."""
import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request


def client_address(request: HttpRequest | Request) -> str:
    """REMOTE_ADDR, unless NUM_PROXIES trusted reverse proxies stand in front of the site.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the
    client is the entry NUM_PROXIES from the right; anything further left was written by the client
    itself and proves nothing. Without configured proxies the header is ignored entirely.
    """
    request = getattr(request, "_request", request)  # DRF's request wraps Django's
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A proxy that writes something else than an address is misconfigured: trust the socket.
        return remote
