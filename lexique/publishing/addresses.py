"""The permanent addresses of the published set: the site, a term, a domain, the lexicon as a whole.

Every format, feed and page that names a term by URI takes it from here, so that they all agree.
"""
from django.conf import settings
from django.urls import reverse
from django.utils import translation


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def term_uri(slug: str) -> str:
    """The stable URI of a term: its page, in French (the site's first language), on SITE_URL."""
    with translation.override("fr"):
        return site_url() + reverse("lexique:term", kwargs={"slug": slug})


def domain_uri(slug: str) -> str:
    with translation.override("fr"):
        return site_url() + reverse("lexique:domain", kwargs={"slug": slug})


def scheme_uri() -> str:
    """The lexicon as a whole: its home page."""
    return site_url() + "/"
