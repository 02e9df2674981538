"""System checks: settings that would make a production site misbehave are refused before it starts."""
from collections.abc import Sequence
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

LOCAL_NAMES = {"localhost", "localhost.localdomain"}


def is_local_address(url: str) -> bool:
    """True when `url` names this machine (a development address that readers elsewhere cannot reach)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host or host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register()
def site_url_is_public(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    # SITE_URL is printed in every e-book and every API link: a development address there
    # sends readers nowhere. Only a production site is held to it.
    if settings.DEBUG or not is_local_address(settings.SITE_URL):
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}, an address of this machine, while DEBUG is off.",
            hint="Set SITE_URL to the public address of the site, e.g. https://lexique.example.org.",
            id="lexique.E001",
        )
    ]
