"""The site's name and title, as its own templates write them (docs/customising.md).

Pages include `lexique/site/name.html` and `title.html`; everything else that names the site (feeds,
citations, structured data, the exports, the error pages) reads them here, so that a site that
overrides them is named alike everywhere.
"""
import html

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags

from lexique.core.content import LANGUAGES

NAME_TEMPLATE = "lexique/site/name.html"
TITLE_TEMPLATE = "lexique/site/title.html"

# What an export or an edition names the lexicon by, in each content language: {"fr": {"name", "title"}, ...}.
SiteNames = dict[str, dict[str, str]]


def _plain(template_name: str, lang: str | None) -> str:
    """The template rendered in `lang` (the active language when None), as one line of plain text: it is
    written for HTML (an attribute, a heading), and read here by feeds, JSON and files."""
    if lang is None:
        rendered = render_to_string(template_name)
    else:
        with translation.override(lang):
            rendered = render_to_string(template_name)
    return " ".join(html.unescape(strip_tags(rendered)).split())


def site_name(lang: str | None = None) -> str:
    """The site's short name ("Lexique" by default), in `lang` or the language being served."""
    return _plain(NAME_TEMPLATE, lang)


def site_title(lang: str | None = None) -> str:
    """The site's full name ("Lexique de la transformation numérique en culture" by default), in `lang` or
    the language being served."""
    return _plain(TITLE_TEMPLATE, lang)


def site_names() -> SiteNames:
    """The name and title in each content language: what an export of the published set, and an edition
    when it is published, name the lexicon by."""
    return {lang: {"name": site_name(lang), "title": site_title(lang)} for lang in LANGUAGES}
