"""What search engines and link previews read of a page: its canonical address, its other languages,
schema.org DefinedTerm / DefinedTermSet as JSON-LD."""
import html
import json
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lexique.models import Term
from lexique.publishing.addresses import scheme_uri, term_uri
from lexique.publishing.site import site_title

DESCRIPTION_WORDS = 60
_SPACES = re.compile(r"\s+")
# Inside <script>, "</script>" or "<!--" would end or change the element: JSON escapes them away.
_SCRIPT_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    """`path` on the site's public address (SITE_URL), whatever host the request came by."""
    return settings.SITE_URL.rstrip("/") + path


def language_urls(path: str) -> dict[str, str]:
    """{language code: absolute address of this page in that language}."""
    return {code: absolute(translate_url(path, code)) for code, _name in settings.LANGUAGES}


def plain(markup: str | None, words: int = DESCRIPTION_WORDS) -> str:
    """Rendered HTML as one line of text, cut at `words` words: for descriptions and previews."""
    text = _SPACES.sub(" ", html.unescape(strip_tags(markup or ""))).strip()
    return Truncator(text).words(words, truncate="…")


def json_ld(data: dict[str, Any]) -> SafeString:
    """`data` as the content of a <script type="application/ld+json"> element, safe to embed."""
    return mark_safe(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_UNSAFE))  # noqa: S308


def lexicon_set(lang: str) -> dict[str, Any]:
    """The lexicon as a schema.org DefinedTermSet: named, in both languages, under its licence."""
    return {
        "@type": "DefinedTermSet",
        "@id": scheme_uri(),
        "name": site_title(lang),
        "url": absolute(translate_url("/", lang)),
        "inLanguage": ["fr", "en"],
        "license": settings.LEXIQUE_CONTENT_LICENCE_URL,
    }


def home_data(lang: str, recent: Iterable[Term]) -> dict[str, Any]:
    data = {"@context": "https://schema.org", **lexicon_set(lang)}
    data["description"] = _("Un lexique bilingue, ouvert et collaboratif de la transformation numérique des "
                            "organisations artistiques et culturelles.")
    # The latest terms only: the whole set is in the sitemap and the SKOS export, not in a page.
    data["hasDefinedTerm"] = [term_data(term, lang, context=False) for term in recent]
    return data


def term_data(term: Term, lang: str, *, context: bool = True) -> dict[str, Any]:
    """A published term as a schema.org DefinedTerm, in the page's language (French standing in)."""
    shown = lang if getattr(term, f"headword_{lang}", "") else "fr"
    other = "en" if shown == "fr" else "fr"
    definition = getattr(term, f"definition_html_{shown}", "") or term.definition_html_fr
    page = absolute(translate_url(term.get_absolute_url(), lang))
    data: dict[str, Any] = {
        "@type": "DefinedTerm",
        "@id": term_uri(term.slug),
        "name": getattr(term, f"headword_{shown}"),
        "termCode": term.slug,
        "url": page,
        "inLanguage": shown,
        "description": plain(definition, 200),
    }
    names = [synonym["text"] for synonym in term.synonyms or [] if synonym.get("text")]
    if getattr(term, f"headword_{other}", ""):
        names.insert(0, getattr(term, f"headword_{other}"))
    if names:
        data["alternateName"] = names
    if context:
        data = {"@context": "https://schema.org", **data, "inDefinedTermSet": lexicon_set(lang)}
        if term.updated_at:
            data["dateModified"] = term.updated_at.isoformat()
    return data
