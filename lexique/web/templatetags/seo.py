"""Tags of a page's <head> for search engines, feed readers and link previews."""
from collections.abc import Iterable

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from lexique.core.content import reader_language
from lexique.models import Term
from lexique.publishing.feeds import new_terms_title, publications_title
from lexique.publishing.structured import absolute, home_data, json_ld, language_urls, plain, term_data

register = template.Library()

# Open Graph wants a territory: the lexicon is Québec's.
OG_LOCALES = {"fr": "fr_CA", "en": "en_CA"}


def _path(context: Context) -> str:
    request = context.get("request")
    return request.path if request is not None else "/"


@register.simple_tag(takes_context=True)
def canonical_url(context: Context) -> str:
    """This page's address on SITE_URL, without its query (a page of results keeps its number)."""
    request = context.get("request")
    url = absolute(_path(context))
    page = request.GET.get("page", "") if request is not None else ""
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@register.simple_tag(takes_context=True)
def language_alternates(context: Context) -> list[tuple[str, str]]:
    """[(hreflang, absolute address)] of this page in each language, and x-default (French)."""
    urls = language_urls(_path(context))
    return [*urls.items(), ("x-default", urls["fr"])]


@register.simple_tag
def feed_titles() -> tuple[str, str]:
    """(the feed of new terms's title, the feed of every publication's), as the feeds give them."""
    return new_terms_title(), publications_title()


@register.simple_tag
def og_locales() -> tuple[str, list[str]]:
    """(this page's Open Graph locale, [the others])."""
    current = OG_LOCALES.get(reader_language(), "fr_CA")
    return current, [locale for locale in OG_LOCALES.values() if locale != current]


@register.simple_tag
def term_json_ld(term: Term) -> SafeString:
    return json_ld(term_data(term, reader_language()))


@register.simple_tag
def home_json_ld(recent: Iterable[Term]) -> SafeString:
    return json_ld(home_data(reader_language(), recent))


@register.filter
def preview(markup: str) -> str:
    """Rendered HTML as a short line of text, for a description or a link preview."""
    return plain(markup)
