"""The OPDS 1.2 catalogue: the books and look-up dictionaries as Atom feeds that reading apps browse and download from.

This module writes the documents (feeds, entries, the OpenSearch description) and says what the site offers
of the published set now: each file with its title, language, media type, size once built, and date. The
pages (lexique.web.views.opds) put them together, with the editions, at /opds/.
"""
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from lxml import etree

from lexique.interop.exporters.base import Exporter
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.exporters.lookup import DIRECTION_LABELS, LookupExporter
from lexique.interop.published import ExportOptions
from lexique.interop.registry import LOOKUP_FORMATS
from lexique.interop.store import stored_size

ATOM = "http://www.w3.org/2005/Atom"
DCTERMS = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
# Every file is free to take: OPDS's relation for an acquisition without payment or account.
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
SUBSECTION = "subsection"
# The book's languages, in the order the catalogue lists them, with the word of their addresses.
BOOK_LANGUAGES = {"fr": "fr", "en": "en", "bilingual": "bilingue"}


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str
    title: str = ""
    length: int | None = None
    hreflang: str = ""


@dataclass
class Entry:
    """One entry of a feed: a file to take (acquisition links) or a feed to go to (a subsection)."""

    id: str
    title: str
    updated: datetime
    links: list[Link]
    summary: str = ""
    languages: tuple[str, ...] = ()
    issued: datetime | None = None


@dataclass
class Feed:
    id: str
    title: str
    updated: datetime
    kind: str  # NAVIGATION or ACQUISITION
    author: str
    lang: str
    links: list[Link] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _link(parent: etree._Element, link: Link) -> None:
    attributes = {"rel": link.rel, "href": link.href, "type": link.type}
    if link.title:
        attributes["title"] = link.title
    if link.hreflang:
        attributes["hreflang"] = link.hreflang
    if link.length is not None:
        attributes["length"] = str(link.length)
    etree.SubElement(parent, f"{{{ATOM}}}link", attributes)


def _text(parent: etree._Element, name: str, text: str, namespace: str = ATOM) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    element.text = text
    return element


def feed_document(feed: Feed) -> bytes:
    """The feed as an OPDS Catalog Feed Document."""
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "dc": DCTERMS, "opds": OPDS,
                                                   "opensearch": OPENSEARCH})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", feed.lang)
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "updated", _stamp(feed.updated))
    author = etree.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed.author)
    for link in feed.links:
        _link(root, link)
    for entry in feed.entries:
        element = etree.SubElement(root, f"{{{ATOM}}}entry")
        _text(element, "title", entry.title)
        _text(element, "id", entry.id)
        _text(element, "updated", _stamp(entry.updated))
        for language in entry.languages:
            _text(element, "language", language, DCTERMS)
        if entry.issued:
            _text(element, "issued", entry.issued.date().isoformat(), DCTERMS)
        if entry.summary:
            _text(element, "summary", entry.summary).set("type", "text")
            # Atom asks an entry for content or an alternate link; the summary is what readers show.
            _text(element, "content", entry.summary).set("type", "text")
        for link in entry.links:
            _link(element, link)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def opensearch_description(*, short_name: str, description: str, lang: str, results: str, page: str) -> bytes:
    """The OpenSearch description of the lexicon's search: `results` and `page` are the addresses of the
    results as an OPDS feed and as a web page, "{searchTerms}" where the words go."""
    root = etree.Element(f"{{{OPENSEARCH}}}OpenSearchDescription", nsmap={None: OPENSEARCH})
    _text(root, "ShortName", short_name[:16], OPENSEARCH)
    _text(root, "Description", description[:1024], OPENSEARCH)
    _text(root, "Language", lang, OPENSEARCH)
    _text(root, "InputEncoding", "UTF-8", OPENSEARCH)
    _text(root, "OutputEncoding", "UTF-8", OPENSEARCH)
    etree.SubElement(root, f"{{{OPENSEARCH}}}Url", {"type": ACQUISITION, "template": results})
    etree.SubElement(root, f"{{{OPENSEARCH}}}Url", {"type": "text/html", "template": page})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@dataclass(frozen=True)
class Offered:
    """A file of the catalogue: what it is, where to take it, its size (None until first built)."""

    exporter_class: type[Exporter]
    options: ExportOptions
    title: str
    summary: str
    languages: tuple[str, ...]  # of its content: a dictionary's source language first
    path: str  # its address on the site, without the host
    size: int | None


def file_title(exporter_class: type[Exporter], lang: str, name: str) -> str:
    """What the catalogue calls a file of the lexicon named `name`."""
    if issubclass(exporter_class, LookupExporter):
        return _("%(name)s : dictionnaire %(format)s %(direction)s") % {
            "name": name, "format": exporter_class.glossary_format, "direction": DIRECTION_LABELS[lang]}
    return {
        "fr": _("%(name)s en français (livre EPUB)"),
        "en": _("%(name)s en anglais (livre EPUB)"),
        "bilingual": _("%(name)s bilingue, français et anglais (livre EPUB)"),
    }[lang] % {"name": name}


def file_languages(exporter_class: type[Exporter], lang: str) -> tuple[str, ...]:
    """The languages of a file's content, its main one first (a dictionary's: the one it is looked up in)."""
    if issubclass(exporter_class, LookupExporter):
        return (lang, "en" if lang == "fr" else "fr")
    return ExportOptions(lang=lang).languages


def file_summary(exporter_class: type[Exporter]) -> str:
    if issubclass(exporter_class, LookupExporter):
        return _("Dictionnaire de consultation pour liseuses (%(format)s) : synonymes et abréviations compris.") % {
            "format": str(exporter_class.label)}
    return _("Livre numérique EPUB 3 accessible : définitions, synonymes, exemples, index par domaine.")


def live_files(*, langs: tuple[str, ...] = tuple(BOOK_LANGUAGES), domain: str = "", name: str) -> list[Offered]:
    """The books in `langs` and the look-up dictionaries from those of them that are a source language
    (French→English for "fr"), of the published set now or of `domain`."""
    query = f"?domaine={domain}" if domain else ""
    offered = []
    for lang in langs:
        options = ExportOptions(lang=lang, domains=(domain,) if domain else ())
        path = reverse("export-epub", kwargs={"variant": BOOK_LANGUAGES[lang]}) + query
        offered.append(Offered(EpubExporter, options, file_title(EpubExporter, lang, name),
                               file_summary(EpubExporter), options.languages, path, stored_size(options, EpubExporter)))
    for format_name, exporter_class in LOOKUP_FORMATS.items():
        for variant, lang in exporter_class.variants.items():
            if lang not in langs:
                continue
            options = ExportOptions(lang=lang, domains=(domain,) if domain else ())
            path = reverse("export-dictionary", kwargs={"format_name": format_name, "variant": variant}) + query
            offered.append(Offered(exporter_class, options, file_title(exporter_class, lang, name),
                                   file_summary(exporter_class), file_languages(exporter_class, lang), path,
                                   stored_size(options, exporter_class)))
    return offered
