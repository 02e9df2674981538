"""The OPDS 1.2 catalogue at /opds/: the books and look-up dictionaries, by language, domain and edition, and a
search of the lexicon, for reading apps (KOReader, Thorium, calibre, FBReader) to browse and download from."""
import html
from collections.abc import Iterable
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lexique.core.content import reader_language
from lexique.editions.files import recorded_files
from lexique.editions.selectors import EDITION_FILES, editions
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.exporters.lookup import LookupExporter
from lexique.interop.opds import (
    ACQUISITION,
    BOOK_LANGUAGES,
    NAVIGATION,
    OPEN_ACCESS,
    OPENSEARCH_TYPE,
    SUBSECTION,
    Entry,
    Feed,
    Link,
    Offered,
    feed_document,
    file_languages,
    file_summary,
    file_title,
    live_files,
    opensearch_description,
)
from lexique.interop.published import current_published_date
from lexique.interop.registry import EXPORTERS
from lexique.models import Domain, Edition
from lexique.publishing.addresses import site_url
from lexique.publishing.site import site_name, site_title
from lexique.search import ranking
from lexique.search.limits import bounded_query

# Terms a search of the catalogue answers with: a reading app shows one screen of them.
SEARCH_RESULTS = 50


def _absolute(path: str) -> str:
    return site_url() + path


def _language_names() -> dict[str, str]:
    return {"fr": _("En français"), "en": _("En anglais"), "bilingual": _("Bilingue : français et anglais")}


def _feed(request: HttpRequest, *, title: str, kind: str, updated: datetime, entries: list[Entry],
          up: str = "") -> Feed:
    """A feed of the catalogue, with the links every one of them has: itself, the start, the search."""
    start = reverse("opds")
    links = [Link(_absolute(request.get_full_path()), "self", kind), Link(_absolute(start), "start", NAVIGATION),
             Link(_absolute(reverse("opds-opensearch")), "search", OPENSEARCH_TYPE)]
    if up:
        links.append(Link(_absolute(up), "up", NAVIGATION))
    lang = reader_language()
    return Feed(id=_absolute(request.get_full_path()), title=title, updated=updated, kind=kind, author=site_name(lang),
                lang=lang, links=links, entries=entries)


def _response(feed: Feed) -> HttpResponse:
    response = HttpResponse(feed_document(feed), content_type=feed.kind)
    response["Content-Language"] = feed.lang
    return response


def _section(path: str, title: str, summary: str, kind: str, updated: datetime) -> Entry:
    """An entry that leads to another feed of the catalogue."""
    return Entry(id=_absolute(path), title=title, updated=updated, summary=summary,
                 links=[Link(_absolute(path), SUBSECTION, kind)])


def _file_entries(offered: Iterable[Offered], updated: datetime) -> list[Entry]:
    return [
        Entry(id=_absolute(item.path), title=item.title, updated=updated, summary=item.summary,
              languages=item.languages, issued=updated,
              links=[Link(_absolute(item.path), OPEN_ACCESS, item.exporter_class.media_type, length=item.size,
                          hreflang=item.languages[0])])
        for item in offered
    ]


def _latest_edition() -> Edition | None:
    return editions().first()


@require_safe
def root(request: HttpRequest) -> HttpResponse:
    """/opds/: the catalogue's start, a navigation feed."""
    updated = current_published_date()
    latest = _latest_edition()
    entries = [
        _section(reverse("opds-whole"), _("Tout le lexique"),
                 _("Les livres et les dictionnaires de tout le lexique, tel qu'il est publié aujourd'hui."),
                 ACQUISITION, updated),
        _section(reverse("opds-languages"), _("Par langue"),
                 _("Les livres en français, en anglais ou bilingues, et les dictionnaires de chaque langue."),
                 NAVIGATION, updated),
        _section(reverse("opds-domains"), _("Par domaine"),
                 _("Les livres et les dictionnaires d'un seul domaine."), NAVIGATION, updated),
    ]
    if latest is not None:
        entries.append(_section(reverse("opds-editions"), _("Éditions"),
                                _("Les éditions numérotées, la plus récente en premier : leurs fichiers ne changent "
                                  "jamais."), NAVIGATION, latest.published_at))
    feed = _feed(request, title=site_title(reader_language()), kind=NAVIGATION,
                 updated=max([updated, *([latest.published_at] if latest else [])]), entries=entries)
    return _response(feed)


@require_safe
def whole(request: HttpRequest) -> HttpResponse:
    updated = current_published_date()
    entries = _file_entries(live_files(name=site_name()), updated)
    return _response(_feed(request, title=_("Tout le lexique"), kind=ACQUISITION, updated=updated,
                           entries=entries, up=reverse("opds")))


@require_safe
def languages(request: HttpRequest) -> HttpResponse:
    updated = current_published_date()
    entries = [_section(reverse("opds-language", kwargs={"variant": variant}), name,
                        _("Le livre et les dictionnaires de consultation de cette langue."), ACQUISITION, updated)
               for (lang, name), variant in zip(_language_names().items(), BOOK_LANGUAGES.values(), strict=True)]
    return _response(_feed(request, title=_("Par langue"), kind=NAVIGATION, updated=updated, entries=entries,
                           up=reverse("opds")))


@require_safe
def language(request: HttpRequest, variant: str) -> HttpResponse:
    lang = {word: lang for lang, word in BOOK_LANGUAGES.items()}[variant]
    updated = current_published_date()
    entries = _file_entries(live_files(langs=(lang,), name=site_name()), updated)
    return _response(_feed(request, title=_language_names()[lang], kind=ACQUISITION, updated=updated,
                           entries=entries, up=reverse("opds-languages")))


def _domain_name(domain: Domain) -> str:
    return ((domain.name_en or domain.name_fr) if reader_language() == "en" else domain.name_fr) or domain.slug


def _domain_description(domain: Domain) -> str:
    if reader_language() == "en":
        return domain.description_en or domain.description_fr or _domain_name(domain)
    return domain.description_fr or _domain_name(domain)


@require_safe
def domains(request: HttpRequest) -> HttpResponse:
    updated = current_published_date()
    entries = [_section(reverse("opds-domain", kwargs={"slug": domain.slug}), _domain_name(domain),
                        _domain_description(domain), ACQUISITION, updated)
               for domain in Domain.objects.all()]
    return _response(_feed(request, title=_("Par domaine"), kind=NAVIGATION, updated=updated, entries=entries,
                           up=reverse("opds")))


@require_safe
def domain(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Domain, slug=slug)
    updated = current_published_date()
    name = f"{site_name()} — {_domain_name(chosen)}"
    entries = _file_entries(live_files(domain=chosen.slug, name=name), updated)
    return _response(_feed(request, title=_domain_name(chosen), kind=ACQUISITION, updated=updated, entries=entries,
                           up=reverse("opds-domains")))


@require_safe
def edition_list(request: HttpRequest) -> HttpResponse:
    """The numbered editions, the newest first (a reading app shows it at the top)."""
    items = list(editions())
    entries = [_section(reverse("opds-edition", kwargs={"number": edition.number}),
                        _("Édition %(number)s") % {"number": edition.number},
                        edition.note or _("%(count)d termes.") % {"count": edition.term_count}, ACQUISITION,
                        edition.published_at)
               for edition in items]
    updated = items[0].published_at if items else current_published_date()
    return _response(_feed(request, title=_("Éditions"), kind=NAVIGATION, updated=updated, entries=entries,
                           up=reverse("opds")))


@require_safe
def edition(request: HttpRequest, number: str) -> HttpResponse:
    chosen = get_object_or_404(Edition, number=number)
    recorded = recorded_files(chosen)
    name = _("%(name)s, édition %(number)s") % {"name": site_name(), "number": chosen.number}
    entries = []
    for file_name, (format_name, lang) in EDITION_FILES.items():
        exporter_class = EXPORTERS[format_name]
        if exporter_class is not EpubExporter and not issubclass(exporter_class, LookupExporter):
            continue  # the terminology files are for software, not for reading apps
        path = reverse("lexique:edition-file", kwargs={"number": chosen.number, "file_name": file_name})
        size = recorded[file_name].size if file_name in recorded else None
        content_languages = file_languages(exporter_class, lang)
        entries.append(Entry(
            id=_absolute(path), title=file_title(exporter_class, lang, name), updated=chosen.published_at,
            summary=file_summary(exporter_class), languages=content_languages, issued=chosen.published_at,
            links=[Link(_absolute(path), OPEN_ACCESS, exporter_class.media_type, length=size,
                        hreflang=content_languages[0])],
        ))
    return _response(_feed(request, title=name, kind=ACQUISITION, updated=chosen.published_at, entries=entries,
                           up=reverse("opds-editions")))


@require_safe
def opensearch(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description a reading app reads to search the lexicon."""
    lang = reader_language()
    body = opensearch_description(
        short_name=site_name(lang), description=site_title(lang), lang=lang,
        results=_absolute(reverse("opds-search")) + "?q={searchTerms}",
        page=_absolute(reverse("lexique:search")) + "?q={searchTerms}",
    )
    return HttpResponse(body, content_type=OPENSEARCH_TYPE)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """/opds/recherche/?q=…: the terms found, each with its definition and a link to its page."""
    query = bounded_query(request.GET.get("q", "")[:200])
    if not query:
        raise Http404(_("Aucun mot à chercher."))
    lang = reader_language()
    found = ranking.search(query, lang=lang, limit=SEARCH_RESULTS)
    updated = current_published_date()
    entries = []
    for term in found[:SEARCH_RESULTS]:
        headword = ((term.headword_en or term.headword_fr) if lang == "en" else term.headword_fr) or term.slug
        definition = (term.definition_html_en or term.definition_html_fr) if lang == "en" else term.definition_html_fr
        page = _absolute(reverse("lexique:term", kwargs={"slug": term.slug}))
        entries.append(Entry(id=page, title=headword, updated=term.updated_at or updated,
                             summary=html.unescape(strip_tags(definition or "")).strip() or headword,
                             languages=(lang,), links=[Link(page, "alternate", "text/html")]))
    return _response(_feed(request, title=_("Recherche : %(query)s") % {"query": query}, kind=ACQUISITION,
                           updated=updated, entries=entries, up=reverse("opds")))
