"""The lexicon as an EPUB 3 book (ebooklib): a pocket glossary, valid and accessible, in French, English or both."""
import gc
import html
import os
import re
import sys
import unicodedata
import uuid
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date
from functools import partial
from itertools import groupby, islice
from typing import IO, Any, Self
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from ebooklib import epub
from lxml import etree

from lexique.core.grammar import headword_grammar
from lexique.core.sources import citation_html
from lexique.core.text import initial_of_key, normalize
from lexique.interop.exporters.base import READ_CHUNK, Exporter, StaleSnapshot
from lexique.interop.exporters.labels import category_name, labels_for
from lexique.interop.exporters.logo import logo_bytes
from lexique.interop.exporters.typography import FRANCE, TRIGGERS, curly_apostrophes, typeset, typeset_html
from lexique.interop.exporters.ziptimes import ZIP_DEFLATED, ZIP_STORED, FixedTimeZipFile, zip_date
from lexique.interop.published import (
    BOOK_RULES,
    SNAPSHOT_ATTEMPTS,
    DomainEntry,
    ExportOptions,
    OptionsError,
    PublishedSet,
    TermEntry,
    current_published_date,
)
from lexique.platform.checks import is_local_address
from lexique.publishing.site import SiteNames, site_names

# Bump when the layout of the book changes, so that stored books are made again.
LAYOUT_VERSION = 8  # 7: run-in entries, compact strip, indexes and key maps split (book rules 5); 8: rules 6
# Long letters are split over several files: small files keep older reading systems responsive.
TERMS_PER_FILE = 300
# Deflate level of the archive: 3 compresses a book twice as fast as zlib's usual 6 for a file a sixth
# larger (10,000 terms in French: 1.18 MB rather than 1.01 MB); the pages are most of a large export's work.
COMPRESS_LEVEL = 3
# Index entries made into one piece of a page at a time.
INDEX_BATCH = 500
# From rules 5, no document of a book is larger than reading systems cope with (about 300 KB): an index
# holds this many entries a file, a search key map the keys of this many terms (split by letter pages). At
# 100,000 generated terms the largest are about 240 KB and 210 KB; fewer, larger files are quicker to write.
INDEX_ENTRIES_PER_FILE = 850
TERMS_PER_KEY_MAP = 1100
# Characters of a page gathered before they are compressed into the book.
_WRITE_BUFFER = 1 << 18
# Up to this many terms the contents list every term under its letter, as a pocket glossary's does;
# beyond, the letters only (a reading system's contents of 10,000 lines is of no use to anyone).
TOC_TERMS_MAX = 3000
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
XHTML_MEDIA_TYPE = "application/xhtml+xml"
SEARCH_KEY_MAP = "cles-de-recherche.xml"
# A dictionary's search key map for each language it is looked up in (EPUB Dictionaries and Glossaries 1.0).
DICTIONARY_KEY_MAPS = {"fr": "cles-francais.xml", "en": "cles-anglais.xml"}
LOGO_FILE = "logo.png"
STYLESHEET = """\
@charset "utf-8";
/* Hyphenation with the prefixes older reading systems know: long French words must break with a hyphen. */
html { -webkit-hyphens: auto; -epub-hyphens: auto; -moz-hyphens: auto; hyphens: auto;
       -webkit-hyphenate-limit-before: 3; -webkit-hyphenate-limit-after: 2; hyphenate-limit-chars: 6 3 2; }
body { font-family: serif; line-height: 1.45; margin: 0 0.5em; widows: 2; orphans: 2; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; page-break-after: avoid; break-after: avoid;
             hyphenate-limit-chars: 10 4 4; }
h1 { font-size: 1.6em; margin: 1em 0 0.8em; }
h2 { font-size: 1.2em; margin: 1.6em 0 0.4em; }
p, li, dd, dt, h1, h2, h3 { overflow-wrap: break-word; word-wrap: break-word; }
a { text-decoration-thickness: 0.06em; text-underline-offset: 0.15em; }
abbr { text-decoration: none; border: none; }
dfn { font-style: normal; }
/* Glossary entries: the term, then its definition; a term is never left alone at the foot of a page. */
dl.glossary { margin: 0; }
dl.glossary > dt { font-family: sans-serif; font-weight: bold; font-size: 1.15em; margin: 1.4em 0 0.2em;
                   page-break-after: avoid; break-after: avoid; page-break-inside: avoid; break-inside: avoid; }
dl.glossary > dd { margin: 0; }
dl.glossary > dt.see { font-size: 1em; font-weight: normal; margin-top: 0.9em; }
dl.glossary > dd.see { margin: 0; }
.see-label { font-style: italic; }
.category { font-family: serif; font-weight: normal; font-style: italic; font-size: 0.87em; }
.equivalent { margin: 0.2em 0 0.4em; }
.definition p { margin: 0.3em 0; }
.en { border-left: 0.2em solid #888; padding-left: 0.6em; margin: 0.5em 0; }
.en dfn { font-family: sans-serif; font-weight: bold; }
.details { margin: 0.5em 0 0; }
.details dt { font-family: sans-serif; font-weight: bold; font-size: 0.85em; margin-top: 0.4em;
              page-break-after: avoid; break-after: avoid; }
.details dd { margin: 0 0 0 1em; }
.details dd p { margin: 0.15em 0; }
.details dd div.en { margin: 0.3em 0; }
.details ul { margin: 0; padding-left: 1.2em; }
.absent { font-style: italic; }
/* The strip of letters and the contents: targets a finger can hit (44 CSS pixels and more). */
nav.az ul, ol.toc-letters { list-style: none; margin: 0.5em 0 1em; padding: 0; line-height: 1; }
nav.az li, ol.toc-letters > li { display: inline-block; margin: 0 0.15em 0.3em 0; }
nav.az a, nav.az span, ol.toc-letters > li > a { display: inline-block; min-width: 2.75em; min-height: 2.75em;
    line-height: 2.75em; text-align: center; font-family: sans-serif; font-weight: bold; text-decoration: none;
    border: 1px solid #888; border-radius: 0.3em; }
nav.az span { border-width: 2px; }
ol.toc { list-style: none; padding-left: 0; }
ol.toc > li { margin: 0 0 0.2em; }
ol.toc > li > a { display: block; padding: 0.6em 0; }
ol.toc ol.toc-letters { padding-left: 0; }
.index ul { list-style: none; padding-left: 0; margin: 0; }
.index li { padding: 0.45em 0; }
.index h2 { font-size: 1.1em; }
.titlepage { text-align: center; margin-top: 15%; }
.titlepage .title, .halftitle { font-size: 2em; }
.halftitle { text-align: center; margin-top: 30%; }
.subtitle { font-size: 1.25em; }
.organisation { font-family: sans-serif; font-size: 1.15em; margin-top: 2em; }
.logo { margin: 0 0 1.5em; }
.logo img { max-width: 60%; max-height: 6em; }
.publisher { margin-top: 3em; font-variant: small-caps; }
.copyright { font-size: 0.9em; margin-top: 2em; }
.copyright h1 { font-size: 1.2em; }
.citation { margin: 0.5em 0 1em 1em; }
.colophon { font-size: 0.9em; }
ul.names { list-style: none; padding-left: 0; columns: 2 10em; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-width: 100%; max-height: 95vh; }
"""
# What a book written as a dictionary (BOOK_RULES 4) adds: its entries are articles rather than a glossary's
# terms and definitions, set the same way. (Added to those books only, so that books of earlier editions keep
# their bytes.)
DICTIONARY_STYLESHEET = """section.dictionary > article { margin: 0; }
section.dictionary > article > p.headword { font-family: sans-serif; font-weight: bold; font-size: 1.15em;
    margin: 1.4em 0 0.2em; page-break-after: avoid; break-after: avoid; page-break-inside: avoid;
    break-inside: avoid; }
section.dictionary > article.see > p { margin: 0.9em 0 0; }
section.dictionary > article.see dfn { font-weight: normal; }
"""
# What a book written by rules 5 adds (after the rest, so it wins): entries run in as in a dictionary, the
# headword floated at the start of its definition's first line, so that it can never be stranded at the
# foot of a page; examples and statuses in italics; a compact strip of letters; hidden lists kept hidden.
RUN_IN_STYLESHEET = """[hidden] { display: none; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
dl.glossary > dt, section.dictionary > article > p.headword, .en > p.equivalent {
    float: left; clear: both; margin: 0 0.35em 0 0; font-family: serif; font-size: 1em; font-weight: normal;
    page-break-after: auto; break-after: auto; }
dl.glossary > dt dfn, p.headword dfn, .en > p.equivalent dfn { font-family: serif; font-weight: bold; }
dl.glossary > dt.see { margin: 0 0.35em 0 0; }
dl.glossary > dd, dl.glossary > dd.see, section.dictionary > article { margin: 0 0 0.75em; }
section.dictionary > article.see > p { margin: 0 0 0.75em; }
.definition p, .examples p, .notes p { margin: 0.15em 0; }
.definition > p:first-child, .definition > :first-child { margin-top: 0; }
/* A word too long for what the headword leaves of the first line goes below it, whole ("Ter-me" otherwise). */
.definition > p:first-child { overflow-wrap: normal; word-wrap: normal; }
.en { clear: both; overflow: hidden; margin: 0.3em 0; }
.examples { font-style: italic; }
.examples em, .examples i, .examples cite { font-style: normal; }
.label { font-style: normal; font-family: sans-serif; font-size: 0.8em; font-weight: bold; }
.status { font-style: italic; }
.xref > .label, .see-label[role] { font-size: 1em; font-weight: normal; font-family: serif; }
section.letter > h1 { margin: 0.4em 0 0.5em; }
.synonyms, .xref, .domains, .sources, .equivalent { margin: 0.15em 0; }
.domains, .sources { font-size: 0.87em; }
.notes { font-size: 0.93em; }
nav.az ul, ol.toc ol.toc-letters { margin: 0.2em 0 0.4em; line-height: 1; }
nav.az li, ol.toc-letters > li { margin: 0 0.05em 0.1em 0; }
nav.az a, nav.az span, ol.toc-letters > li > a { min-width: 1.75em; min-height: 1.75em; line-height: 1.75em;
    font-size: 0.9em; border: none; border-radius: 0; }
nav.az span { text-decoration: underline; text-decoration-thickness: 0.12em; text-underline-offset: 0.2em; }
"""

_HREF = re.compile(r'href="([^"]*)"')
# What may stay as it is in a URL (RFC 3986 reserved and unreserved characters, and escapes).
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def book_url(address: str | None) -> str:
    """A URL as EPUBCheck wants it, not yet escaped (`url` escapes it for an attribute)."""
    return quote(address or "", safe=_URL_SAFE)


def url(address: str | None) -> str:
    """A URL as EPUBCheck wants it: what a URL may not hold percent-encoded (a source address pasted
    with "<" or spaces passes Django's validator, not EPUBCheck's), then escaped for an attribute."""
    return esc(quote(address or "", safe=_URL_SAFE))


def _encoded_href(match: re.Match[str]) -> str:
    return f'href="{url(html.unescape(match.group(1)))}"'


def valid_urls(fragment: str) -> str:
    """The same for the links of contributed HTML (a definition's Markdown links)."""
    return _HREF.sub(_encoded_href, fragment) if "href=" in fragment else fragment


_VOID = re.compile(r"<(br|hr)\b([^>]*?)\s*/?>")


def contributed_html(fragment: str, lang: str, convention: str = FRANCE) -> str:
    """Rendered Markdown (sanitised when approved) as a book prints it: typeset for its language, void
    elements closed as XHTML wants (the sanitiser writes HTML's `<br>`), links valid for EPUBCheck."""
    if "<br" in fragment or "<hr" in fragment:
        fragment = _VOID.sub(r"<\1\2/>", fragment)
    return valid_urls(typeset_html(fragment, lang, convention))


# The characters XML 1.0 forbids (base.xml_safe) that UTF-8 writes as one byte each, never inside another character.
_NOT_XML_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def xml_bytes(text: str) -> bytes:
    """`xml_safe(text).encode()`, three times quicker on the megabytes of a book: control characters
    deleted from the encoded bytes, lone surrogates left out by the encoder, U+FFFE and U+FFFF looked for."""
    data = text.encode("utf-8", "ignore").translate(None, _NOT_XML_BYTES)
    if b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return data


_EN_BLOCK = ' class="en"'
# The characters typesetting (and "...") or escaping may change.
_PLAIN = TRIGGERS | set("&<>")


def _plain(text: str | None) -> bool:
    """Whether a text is printed as it is: something to print, nothing to typeset or escape."""
    if not text:
        return False
    return _PLAIN.isdisjoint(text) and "..." not in text


def esc(text: object) -> str:
    """Text escaped for XHTML, attributes included; most texts have nothing to escape and are kept as they are."""
    if type(text) is not str:
        text = str(text or "")
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def lang_attr(lang: str) -> str:
    """Both attributes: `lang` for HTML readers, `xml:lang` for XML ones (EPUB is XHTML)."""
    return f' lang="{lang}" xml:lang="{lang}"'


_EN_DIV = f'<div class="en"{lang_attr("en")}>'


def book_identifier(options: ExportOptions) -> str:
    """The same URN for the same variant, edition after edition (a new version is a new edition, not a new book)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/export/epub#{options.digest()}"))


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class DictionaryCollection:
    """One dictionary of a book (EPUB Dictionaries and Glossaries 1.0): looked up in `source` through its
    search key map, its entries in `documents`, translated into `target`."""

    source: str
    target: str
    key_map: str
    documents: list[str]


class _Writer(epub.EpubWriter):
    """ebooklib's writer, with the language on the package document too (Ace checks it there), and
    pages streamed into the archive a piece at a time (an index of 100,000 terms is never whole in memory)."""

    def _write_opf_file(self, root: Any) -> None:
        root.set(f"{{{epub.NAMESPACES['XML']}}}lang", self.book.language)
        super()._write_opf_file(root)

    def _write_opf_bindings(self, root: Any) -> None:
        """ebooklib's, then a collection for each dictionary of the book (the package's last elements)."""
        super()._write_opf_bindings(root)
        for dictionary in getattr(self.book, "dictionaries", ()):
            collection = etree.SubElement(root, "collection", {"role": "dictionary"})
            metadata = etree.SubElement(collection, "metadata")
            for prop, lang in (("source-language", dictionary.source), ("target-language", dictionary.target)):
                etree.SubElement(metadata, "meta", {"property": prop}).text = lang
            for href in (dictionary.key_map, *dictionary.documents):
                etree.SubElement(collection, "link", {"href": href})

    def write(self) -> None:
        """ebooklib's, with every entry of the archive dated as the book: the same book, the same bytes."""
        self.out = FixedTimeZipFile(self.file_name, "w", ZIP_DEFLATED, compresslevel=self.options["compresslevel"])
        self.out.date_time = zip_date(self.options.get("mtime"))
        self.out.writestr("mimetype", "application/epub+zip", compress_type=ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()

    def _write_items(self) -> None:
        """ebooklib's for the small items; then the pages, made as they are written; then the cover,
        drawn meanwhile."""
        items = self.book.items
        later = [item for item in items if isinstance(item, _Page | _Cover)]
        self.book.items = [item for item in items if not isinstance(item, _Page | _Cover)]
        try:
            super()._write_items()
        finally:
            self.book.items = items
        with _ArchiveThread(self.out) as archive:
            for item in later:
                name = f"{self.book.FOLDER_NAME}/{item.file_name}"
                if isinstance(item, _Cover):
                    archive.add(name, (item.get_content,))
                else:
                    archive.add(name, _chunks(item.pieces()))


class _ArchiveThread:
    """Entries of a zip archive written by a thread of their own, in order, while this one makes the next.

    zlib lets go of the interpreter while it compresses, so deflating a page costs the thread that makes
    pages nothing. The writing thread opens, fills and closes each entry itself: the maker never waits for
    the end of one page before starting the next, only when a few chunks are already waiting (memory
    stays bounded). One task per chunk, the first opening the entry and the last closing it: each task
    handed over costs both threads a turn of the interpreter lock.
    """

    WAITING = 4

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._pending: deque[Future[None]] = deque()
        self._stream: IO[bytes] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="epub-archive")

    def __enter__(self) -> Self:
        return self

    def add(self, name: str, chunks: Iterable[bytes | Callable[[], bytes]]) -> None:
        """The entry `name` made of `chunks` (at least one): bytes, or callables that return them (run by
        the thread)."""
        remaining = iter(chunks)
        chunk = next(remaining)
        opening: str | None = name
        for following in remaining:
            self._submit(self._write, opening, chunk, False)
            chunk, opening = following, None
        self._submit(self._write, opening, chunk, True)

    def __exit__(self, *failure: object) -> None:
        try:
            wait(self._pending)
            # A page that failed to be made leaves its entry open: closed, so the archive can be.
            if failure[0] is not None:
                self._executor.submit(self._close).result()
            for future in self._pending:
                future.result()
        finally:
            self._executor.shutdown()

    def _submit(self, task: Callable[..., None], *args: Any) -> None:
        if len(self._pending) >= self.WAITING:
            self._pending.popleft().result()
        self._pending.append(self._executor.submit(task, *args))

    # In the writing thread:
    def _write(self, opening: str | None, chunk: bytes | Callable[[], bytes], last: bool) -> None:
        if opening is not None:
            self._stream = self.archive.open(opening, "w")
        assert self._stream is not None, "an entry's first chunk opens it"
        self._stream.write(chunk() if callable(chunk) else chunk)
        if last:
            self._close()

    def _close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def _chunks(pieces: Iterable[str]) -> Iterator[bytes]:
    """Pieces of markup gathered into chunks of about _WRITE_BUFFER characters, as bytes XML accepts."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _WRITE_BUFFER:
            yield xml_bytes("".join(buffer))
            buffer, size = [], 0
    yield xml_bytes("".join(buffer))


def write_book(path: str | os.PathLike[str], book: epub.EpubBook, options: dict[str, Any]) -> None:
    """What ebooklib's write_epub does, with our writer; errors are raised, never swallowed."""
    writer = _Writer(str(path), book, options)
    writer.process()
    try:
        writer.write()
    finally:
        if getattr(writer, "out", None) is not None and writer.out.fp is not None:
            writer.out.close()  # a page that failed to be made leaves no open file behind


class CoverDrawing:
    """The cover image, drawn in a thread of its own (Pillow lets go of the interpreter while it draws
    and encodes) from `inputs`, cover_jpeg's arguments."""

    def __init__(self, inputs: dict[str, Any]) -> None:
        self.inputs = inputs
        drawer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="epub-cover")
        self._image = drawer.submit(_draw_cover, inputs)
        drawer.shutdown(wait=False)  # the drawing goes on; its thread ends with it

    def result(self) -> bytes:
        return self._image.result()


def _draw_cover(inputs: dict[str, Any]) -> bytes:
    # Pillow is loaded here, in the drawing's thread, while the other one reads the lexicon.
    from lexique.interop.exporters.cover import cover_jpeg

    return cover_jpeg(**inputs)


def cover_inputs(options: ExportOptions, local_date: date, logo: bytes | None,
                 names: SiteNames | None = None, rules: int = BOOK_RULES) -> dict[str, Any]:
    """What the cover of a book of `options` dated `local_date` shows; the lexicon called `names` (an
    edition's), by default the site's names now; its words those of the book rules `rules` (an edition's)."""
    main = options.main_language
    name, labels = (names or site_names())[main]["title"], labels_for(main, rules)
    site = settings.SITE_URL.rstrip("/")
    if options.title:
        credit = labels["based_on"].format(name=name)
    else:
        credit = "" if is_local_address(site) else urlsplit(site).netloc
    # From rules 5, the bilingual book says so on its cover and title page (it was the French one's twin).
    edition = labels["edition_bilingual" if options.lang == "bilingual" and rules >= 5 else "edition"]
    inputs = {"title": options.title or name, "subtitle": options.subtitle,
              "edition": edition.format(date=edition_date(main, local_date)), "credit": credit,
              "organisation": options.organisation, "logo": logo}
    # From rules 6, the title in italics, as a publisher sets the title of a work.
    if rules >= 6:
        inputs["italic_title"] = True
    return inputs


def edition_date(lang: str, local_date: date) -> str:
    with translation.override(lang):
        return formats.date_format(local_date, "j F Y")


def stored_logo(options: ExportOptions) -> bytes | None:
    """The organisation's logo, as stored (checked and re-encoded as PNG when it was uploaded)."""
    if not options.logo:
        return None
    logo = logo_bytes(options.logo)
    if logo is None:
        raise OptionsError(f"No stored logo {options.logo}")
    return logo


class _Cover(epub.EpubCover):
    """The cover image of a CoverDrawing, written after the pages."""

    def __init__(self, drawing: CoverDrawing, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._drawing = drawing

    def get_content(self, default: Any = None) -> bytes:
        return self._drawing.result()


class _Page(epub.EpubItem):
    """A document made as the writer reaches it, piece by piece, and forgotten once written: the book is
    never whole in memory, however large the lexicon. `make` returns the pieces (str)."""

    def __init__(self, make: Callable[[], Iterable[str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._make = make

    def pieces(self) -> Iterable[str]:
        return self._make()

    def get_content(self, default: Any = None) -> bytes:
        return xml_bytes("".join(self._make()))


class EpubExporter(Exporter):
    """Writes the published set as an EPUB 3 book with ebooklib."""

    name = "epub"
    extension = "epub"
    media_type = "application/epub+zip"
    layout_version = LAYOUT_VERSION
    variants = {"fr": "fr", "en": "en", "bilingue": "bilingual"}

    def write(self, path: str | os.PathLike[str]) -> PublishedSet:
        """Plan the book from an outline of the published set, then write it page after page, each
        page's texts read as it is made. Started again if a publication lands meanwhile; the last
        attempt takes the texts as they are, as a snapshot does."""
        # The cover drawn while the lexicon is read (the database driver lets go of the interpreter),
        # dated by the last publication, as the book is (drawn again if one lands meanwhile); an
        # edition's book by its own date.
        cover = None if self.options.edition else CoverDrawing(
            cover_inputs(self.options, timezone.localdate(current_published_date()), stored_logo(self.options)))
        with _collector_spared(), _short_turns():
            for attempt in range(SNAPSHOT_ATTEMPTS + 1):
                published = self.snapshot(details=False)
                gc.freeze()  # the outline too, now that it is read
                book, write_options = self.build(published, strict=attempt < SNAPSHOT_ATTEMPTS, cover=cover)
                try:
                    write_book(path, book, write_options)
                except StaleSnapshot:
                    continue
                finally:
                    # The pages make themselves from the builder, which holds the book: a cycle that
                    # would keep the whole outline alive until the next collection.
                    book.items, book.spine = [], []
                return published
        raise AssertionError("unreachable: the last attempt is not strict")

    def _term_fields(self) -> tuple[str, ...]:
        # Examples and notes are printed as rendered when approved: their Markdown is not read.
        return tuple(name for name in super()._term_fields()
                     if not name.startswith(("examples_", "notes_")) or "_html_" in name)

    def build(self, published: PublishedSet, *, strict: bool = False,
              cover: CoverDrawing | None = None) -> tuple[epub.EpubBook, dict[str, Any]]:
        """The ebooklib book, whose pages are made as it is written, and the options to write it with;
        `cover`, a drawing already started, is used if it shows what this book's cover shows."""
        return _BookBuilder(self.options, published, exporter=self, strict=strict, cover=cover).build()


@contextmanager
def _collector_spared() -> Iterator[None]:
    """The cycle collector kept out of the export, and what lives as long as the export (Django itself,
    then the outline) hidden from it: the outline is hundreds of thousands of objects made at once, none in
    a cycle, and each collection while they are made would walk them all again for nothing (a quarter of
    the outline's reading at 100,000 terms). The pages break their one cycle themselves (`write`). All is
    handed back to the collector at the end."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


# How long a thread may hold the interpreter while another waits for it, during an export (the default
# is 5 ms): the pages' maker hands each chunk to the archive's thread, which needs the interpreter back
# between two compressions, and would otherwise wait a whole turn each time.
EXPORT_SWITCH_INTERVAL = 0.0005


@contextmanager
def _short_turns() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, EXPORT_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def _pieces(body: str | Iterable[str]) -> Iterable[str]:
    return (body,) if isinstance(body, str) else body


@dataclass(slots=True)  # one for each synonym of the lexicon: tens of thousands
class SeeEntry:
    """A synonym filed in alphabetical order, pointing to the entry of its term (big data → mégadonnées)."""

    text: str
    lang: str
    status: str
    target: TermEntry
    anchor: str
    sort_key: str
    initial: str
    kind: str = ""  # abbreviation, initialism, acronym (from rules 6)


# An entry of an index: its sort key, its initial, what makes its markup and what that is made from.
IndexEntry = tuple[str, str, Callable[[Any], str], Any]


@dataclass
class IndexGroup:
    """A group of an index (a letter, a domain): its id, its heading, its label in the index's strip of
    letters ("" for none), and its entries (what makes each one's markup, and from what)."""

    group_id: str
    label: str
    strip: str
    make: Callable[[Any], str]
    entries: list[Any]


def _pack(groups: list[IndexGroup], limit: int) -> list[list[tuple[IndexGroup, list[Any], bool]]]:
    """Groups packed in order into parts of at most `limit` entries; a larger group split over several
    parts (its pieces after the first are "continued")."""
    parts: list[list[tuple[IndexGroup, list[Any], bool]]] = []
    part: list[tuple[IndexGroup, list[Any], bool]] = []
    size = 0
    for group in groups:
        for start in range(0, len(group.entries), limit):
            chunk = group.entries[start:start + limit]
            if part and size + len(chunk) > limit:
                parts.append(part)
                part, size = [], 0
            part.append((group, chunk, start > 0))
            size += len(chunk)
    if part:
        parts.append(part)
    return parts


def _word(text: str | None) -> str:
    """A word as written, accents and all, but for case and spaces: what makes a French synonym the English
    term itself ("big data"), where "co-création" is not "co-creation"."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _numbered(file_name: str, number: int) -> str:
    """The file name of the part `number` (from 0) of a document in several parts: cles.xml, cles-2.xml…"""
    if number == 0:
        return file_name
    stem, dot, extension = file_name.rpartition(".")
    return f"{stem}-{number + 1}{dot}{extension}"


def _labelled(label: str, rendered: str) -> str:
    """Rendered Markdown with `label` run into its first paragraph (or in one of its own before a list)."""
    if rendered.startswith("<p>"):
        return f"<p>{label} {rendered[3:]}"
    return f"<p>{label}</p>{rendered}"


def _order(item: TermEntry | SeeEntry) -> tuple[bool, str, str]:
    # The same key as the exporter's: symbols first, then the folded text; a see entry after a homograph entry.
    anchor = item.slug if isinstance(item, TermEntry) else "~" + item.anchor
    return item.initial != "#", item.sort_key, anchor


def _page(lang: str, title: str, body: str, body_type: str) -> bytes:
    return xml_bytes("".join(_page_pieces(lang, title, (body,), body_type)))


def _page_pieces(lang: str, title: str, body: Iterable[str], body_type: str) -> Iterator[str]:
    """An XHTML page around `body`, an iterable of markup pieces."""
    yield ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
           f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"{lang_attr(lang)}>'
           f'<head><title>{esc(title)}</title><link href="style.css" rel="stylesheet" type="text/css"/></head>'
           f'<body epub:type="{body_type}">')
    yield from body
    yield "</body></html>"


class _BookBuilder:
    def __init__(self, options: ExportOptions, published: PublishedSet, *, exporter: Exporter, strict: bool,
                 cover: CoverDrawing | None = None) -> None:
        self.options = options
        self.published = published
        self.exporter = exporter
        self.strict = strict
        self.main = options.main_language
        self.bilingual = options.lang == "bilingual"
        # The books that translate are EPUB Dictionaries (from rules 4); the French book is a glossary.
        self.dictionary = options.lang != "fr" and published.book_rules >= 4
        # French set by the site's convention (from rules 4; France's before).
        self.convention = published.typography if published.book_rules >= 4 else FRANCE
        self.labels = labels_for(self.main, published.book_rules, self.convention)
        self.book = epub.EpubBook()
        # From rules 5, entries run in, as a dictionary's.
        self.run_in = published.book_rules >= 5
        style = STYLESHEET + DICTIONARY_STYLESHEET if self.dictionary else STYLESHEET
        self.style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                   content=style + RUN_IN_STYLESHEET if self.run_in else style)
        self.site = settings.SITE_URL.rstrip("/")
        # A development address is never printed: readers elsewhere cannot reach it.
        self.public_site = "" if is_local_address(self.site) else self.site
        # The site's home in the book's language (from rules 3: an English book gave the French one).
        self.home = self.public_site
        if self.public_site and published.book_rules >= 3 and self.main != "fr":
            with translation.override(self.main):
                self.home = self.public_site + reverse("lexique:home")
        self.local_date = timezone.localdate(published.taken_at)
        self.date = edition_date(self.main, self.local_date)
        # The logo as read when the cover was started; the cover itself if it shows this book's date.
        self.logo = cover.inputs["logo"] if cover is not None else stored_logo(options)
        inputs = cover_inputs(options, self.local_date, self.logo, published.names, published.book_rules)
        self.cover = cover if cover is not None and cover.inputs == inputs else CoverDrawing(inputs)
        self.edition, self.title = inputs["edition"], inputs["title"]
        self.name = published.names[self.main]["title"]
        self.creator = self.labels["creator"].format(name=self.name)
        self.publisher = settings.LEXIQUE_PUBLISHER or self.labels["publisher_default"].format(
            name=published.names[self.main]["name"])
        self._terms_by_id = {term.id: term for term in published.terms}
        self.see_entries, self.anglicisms = self._plan_synonyms()
        self._plan_files()
        self.toc_terms = len(published.terms) <= TOC_TERMS_MAX
        # Escaped once, not once per entry.
        self.text = {key: esc(value) for key, value in self.labels.items() if isinstance(value, str)}
        # Each language's words for its own passages (an English synonym's status is in English).
        self._labels_in = {lang: labels_for(lang, published.book_rules, self.convention) for lang in ("fr", "en")}
        self._run_in_labels = {lang: {
            name: f'<span class="label"><abbr title="{esc(title)}">{esc(short)}</abbr></span>'
            for name, (short, title) in self._labels_in[lang].get("run_in", {}).items()
        } for lang in ("fr", "en")}
        self._sources_separator = typeset("a ; b", self.main, convention=self.convention)[1:-1]
        self._categories: dict[str, str] = {}
        # The language attributes of a passage: none in the book's own language.
        self._lang_attrs = {lang: "" if lang == self.main else lang_attr(lang) for lang in ("fr", "en")}
        # Links name a term by its English headword in an English book; the few headwords with something
        # to typeset or escape, found once: a term is named by a link three times or more.
        self.english_links, self._french_attrs = self.main == "en", self._lang_attrs["fr"]
        self._typeset_fr = {term.id for term in published.terms if not _plain(term.headword_fr)}
        self._typeset_en = {term.id for term in published.terms if not _plain(term.headword_en)} if (
            self.english_links) else set()
        # Examples and notes: for each language of the book, the field and the opening of its block.
        self._text_fields = {name: [
            (f"{name}_html_{lang}", lang, f"<div{_EN_BLOCK if lang == 'en' and options.lang == 'bilingual' else ''}"
                                          f"{self._lang(lang)}>")
            for lang in options.languages
        ] for name in ("examples", "notes")}
        self._domain_links = {
            domain.id: (f'<a href="index-domaines.xhtml#d-{domain.slug}">'
                        f'{self._t(domain.name(self.main), self.main)}</a>')
            for domain in published.domains
        }

    def _t(self, text: str | None, lang: str) -> str:
        """Contributed plain text, typeset for its language and escaped."""
        if not text:
            return ""
        # Most headwords have nothing to typeset or escape: one look instead of two calls.
        if _plain(text):
            return text
        return esc(typeset(text, lang, convention=self.convention))

    def _lang(self, lang: str) -> str:
        return self._lang_attrs[lang]

    # -- plan ---------------------------------------------------------------------------------
    def _plan_synonyms(self) -> tuple[list[SeeEntry], set[tuple[int, str | None]]]:
        """See entries: synonyms in the book's main language that are not headwords themselves; and
        anglicisms: French synonyms that are also the English term ("big data"), English words to be
        marked so, found once as (term id, text) since each synonym is printed three times. One pass,
        each synonym folded once."""
        main = self.main
        seen: set[tuple[str, int]] = set()
        entries: list[SeeEntry] = []
        anglicisms: set[tuple[int, str | None]] = set()
        headwords = {term.sort_key for term in self.published.terms}
        for term in self.published.terms:
            synonyms = term.synonyms
            if not synonyms:
                continue
            keys = [normalize(synonym.get("text") or "") for synonym in synonyms]
            # Before rules 1, a word was compared with its accents folded: "co-création" was "co-creation".
            words = keys if self.published.book_rules < 1 else [_word(synonym.get("text")) for synonym in synonyms]
            english = {word for word, synonym in zip(words, synonyms, strict=True) if synonym.get("lang") == "en"}
            english.add(normalize(term.headword_en) if self.published.book_rules < 1 else _word(term.headword_en))
            english.discard("")
            for number, (key, word, synonym) in enumerate(zip(keys, words, synonyms, strict=True)):
                lang = synonym.get("lang", "fr")
                if lang == "fr" and word in english:
                    anglicisms.add((term.id, synonym.get("text")))
                    lang = "en"
                if synonym.get("lang", "fr") != main or not key or key in headwords or (key, term.id) in seen:
                    continue
                seen.add((key, term.id))
                entries.append(SeeEntry(
                    text=(synonym.get("text") or "").strip(), lang=lang, status=synonym.get("status", ""),
                    target=term, anchor=f"v-{term.slug}-{number}", sort_key=key, initial=initial_of_key(key),
                    kind=synonym.get("kind", "") if self.published.book_rules >= 6 else "",
                ))
        return entries, anglicisms

    def _synonym_lang(self, term: TermEntry, synonym: dict[str, Any]) -> str:
        """A French synonym that is also the English term ("big data") is an English word: say so."""
        lang = synonym.get("lang", "fr")
        return "en" if lang == "fr" and (term.id, synonym.get("text")) in self.anglicisms else lang

    def _plan_files(self) -> None:
        """Letters -> files, and term id -> file, so that related terms can link to their entries."""
        self.letters: list[tuple[str, list[tuple[str, list[TermEntry | SeeEntry]]]]] = []
        # A term's id, or a see entry's anchor -> the file it is in.
        self.file_of: dict[int | str, str] = {}
        items: Sequence[TermEntry | SeeEntry] = (
            sorted([*self.published.terms, *self.see_entries], key=_order) if self.see_entries
            else self.published.terms
        )
        for letter, group in groupby(items, key=lambda item: item.initial):
            entries = list(group)
            stem = "symboles" if letter == "#" else f"lettre-{letter.lower()}"
            chunks: list[tuple[str, list[TermEntry | SeeEntry]]] = []
            for number, start in enumerate(range(0, len(entries), TERMS_PER_FILE), start=1):
                name = f"{stem}.xhtml" if number == 1 else f"{stem}-{number}.xhtml"
                chunk = entries[start:start + TERMS_PER_FILE]
                chunks.append((name, chunk))
                for item in chunk:
                    if isinstance(item, TermEntry):
                        self.file_of[item.id] = name
                    else:
                        self.file_of[item.anchor] = name
            self.letters.append((letter, chunks))

    # -- book ---------------------------------------------------------------------------------
    def build(self) -> tuple[epub.EpubBook, dict[str, Any]]:
        book, labels = self.book, self.labels
        self._metadata()
        book.add_item(self.style)
        # As ebooklib's set_cover, with the image drawn meanwhile.
        book.add_item(_Cover(self.cover, uid="cover-img", file_name="couverture.jpg"))
        book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})
        if self.logo:
            book.add_item(epub.EpubItem(uid="logo", file_name=LOGO_FILE, media_type="image/png", content=self.logo))

        front = [
            self._document("cover", "couverture.xhtml", labels["cover"], self._cover_page(), "frontmatter"),
            self._document("halftitle", "faux-titre.xhtml", labels["half_title"], self._half_title(), "frontmatter"),
            self._document("titlepage", "titre.xhtml", labels["title_page"], self._title_page(), "frontmatter"),
            self._document("copyright", "droits.xhtml", labels["copyright"], self._copyright_page(), "frontmatter"),
        ]
        nav = self._item("nav", "nav.xhtml", None, properties=["nav"])
        book.add_item(epub.EpubNcx())
        introduction = [
            self._document("preface", "preface.xhtml", labels["preface"], self._preface(), "frontmatter"),
            self._document("howto", "mode-emploi.xhtml", labels["how_to_use"], self._how_to_use(), "frontmatter"),
        ]
        letters = []
        # The entries of each letter page; pages whose texts are read.
        self._pages: list[list[TermEntry | SeeEntry]] = []
        self._read_until = 0
        for letter, chunks in self.letters:
            for number, (name, items) in enumerate(chunks, start=1):
                self._pages.append(items)
                letters.append(self._document(
                    f"letter-{name[:-6]}", name, self._letter_name(letter, number),
                    partial(self._letter_page, letter, number, len(self._pages) - 1), "bodymatter",
                    properties=[] if self.dictionary else ["glossary"],
                ))
        if not self.letters:
            letters.append(self._document("empty", "termes.xhtml", labels["terms_az"],
                                          f'<h1>{esc(labels["terms_az"])}</h1><p>{esc(labels["empty"])}</p>',
                                          "bodymatter"))
        other = {"bilingual": ("en", "fr"), "en": ("fr", "en")}.get(self.options.lang)
        if self.run_in and self.published.terms:
            back, indexes = self._split_indexes(other)
        else:
            back = [self._document("index", "index.xhtml", labels["index"], self._alphabetical_index, "backmatter")]
            if other:
                name, file_name = ("index_en_fr", "index-anglais.xhtml") if other[0] == "en" else (
                    "index_fr_en", "index-francais.xhtml")
                back.append(self._document(name, file_name, labels[name],
                                           partial(self._equivalents_index, *other, name), "backmatter"))
            back.append(self._document("domains", "index-domaines.xhtml", labels["index_domains"],
                                       self._domain_index, "backmatter"))
            indexes = list(back)
        closing = [
            self._document("cite", "citer.xhtml", labels["how_to_cite"], self._how_to_cite(), "backmatter"),
            self._document("credits", "contributions.xhtml", labels["contributors_heading"], self._credits(),
                           "backmatter"),
            self._document("colophon", "colophon.xhtml", labels["colophon"], self._colophon(), "backmatter"),
        ]
        back += closing
        if self.published.terms and self.dictionary:
            self._dictionaries(letters)
        elif self.published.terms:
            for number, (_pages, terms) in enumerate(self._key_map_slices()):
                uid = "skm" if number == 0 else f"skm-{number + 1}"
                book.add_item(_Page(partial(self._search_key_map, "", terms), uid=uid,
                                    file_name=_numbered(SEARCH_KEY_MAP, number),
                                    media_type="application/vnd.epub.search-key-map+xml"))
                book.get_item_with_id(uid).properties = ["search-key-map", "glossary"]

        toc = [self._link(document) for document in front[2:] + introduction]
        toc.append((epub.Section(labels["terms_az"], letters[0].file_name), self._letters_toc()) if self.letters
                   else self._link(letters[0]))
        # An index in several files is one line of the contents, its first file.
        toc += [self._link(document) for document in indexes + closing]
        book.toc = toc
        book.spine = [*front[:2], front[2], front[3], nav, *introduction, *letters, *back]
        nav.content = _page(self.main, labels["contents"], self._nav_body(toc, front, letters[0], back[0]),
                            "frontmatter")
        book.guide = [
            {"type": "cover", "href": front[0].file_name, "title": labels["cover"]},
            {"type": "toc", "href": nav.file_name, "title": labels["contents"]},
            {"type": "text", "href": letters[0].file_name, "title": labels["start"]},
            {"type": "index", "href": back[0].file_name, "title": labels["index"]},
        ]
        write_options = {
            "epub3_pages": False,  # no print edition, so no page list
            "raise_exceptions": True,
            "compresslevel": COMPRESS_LEVEL,
            "mtime": self.published.taken_at.astimezone(UTC),
        }
        return book, write_options

    def _dictionaries(self, letters: list[epub.EpubItem]) -> None:
        """The two dictionaries the book holds, French→English and English→French: each a collection of the
        letter pages with the search key map of its source language."""
        collections = []
        slices = self._key_map_slices()
        for source, target in (("fr", "en"), ("en", "fr")):
            # A key map of at most TERMS_PER_KEY_MAP terms (rules 5), each with its own collection of pages.
            for number, (pages, terms) in enumerate(slices):
                uid = f"skm-{source}" if number == 0 else f"skm-{source}-{number + 1}"
                file_name = _numbered(DICTIONARY_KEY_MAPS[source], number)
                self.book.add_item(_Page(partial(self._search_key_map, source, terms), uid=uid, file_name=file_name,
                                         media_type="application/vnd.epub.search-key-map+xml"))
                self.book.get_item_with_id(uid).properties = ["search-key-map", "dictionary"]
                collections.append(DictionaryCollection(
                    source=source, target=target, key_map=file_name,
                    documents=pages if len(slices) > 1 else [letter.file_name for letter in letters]))
        self.book.dictionaries = collections  # type: ignore[attr-defined]  # read by _Writer

    def _key_map_slices(self) -> list[tuple[list[str], list[TermEntry]]]:
        """The letter pages and their terms, in as many slices as search key maps (one before rules 5)."""
        if not self.run_in:
            return [([name for _letter, chunks in self.letters for name, _items in chunks], self.published.terms)]
        slices: list[tuple[list[str], list[TermEntry]]] = []
        pages: list[str] = []
        terms: list[TermEntry] = []
        for _letter, chunks in self.letters:
            for name, items in chunks:
                page_terms = [item for item in items if isinstance(item, TermEntry)]
                if terms and len(terms) + len(page_terms) > TERMS_PER_KEY_MAP:
                    slices.append((pages, terms))
                    pages, terms = [], []
                pages.append(name)
                terms += page_terms
        if terms:
            slices.append((pages, terms))
        return slices

    def _item(self, uid: str, file_name: str, title: str | None, properties: Iterable[str] = (),
              make: Callable[[], Iterable[str]] | None = None) -> epub.EpubItem:
        if make is None:
            item = epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML_MEDIA_TYPE)
        else:
            item = _Page(make, uid=uid, file_name=file_name, media_type=XHTML_MEDIA_TYPE)
        item.title = title
        item.properties = list(properties)
        self.book.add_item(item)
        return item

    def _document(self, uid: str, file_name: str, title: str, body: str | Callable[[], str | Iterable[str]],
                  body_type: str, properties: Iterable[str] = ()) -> epub.EpubItem:
        """A page of the book; `body` is its markup, or what makes it when the page is written.

        Written as they are: our markup is already XHTML, and ebooklib's parse and re-serialisation
        of every page would double the time of a large export.
        """
        if callable(body):
            return self._item(uid, file_name, title, properties,
                              make=lambda: _page_pieces(self.main, title, _pieces(body()), body_type))
        item = self._item(uid, file_name, title, properties)
        item.content = _page(self.main, title, body, body_type)
        return item

    @staticmethod
    def _link(document: epub.EpubItem) -> epub.Link:
        return epub.Link(document.file_name, document.title, f"toc-{document.id}")

    def _letters_toc(self) -> list[Any]:
        """Letters, then their terms: the nested contents of a pocket glossary."""
        toc: list[Any] = []
        for letter, chunks in self.letters:
            terms = [epub.Link(f"{name}#t-{item.slug}",
                               typeset(item.headword(self.main)[0], self.main, convention=self.convention),
                               f"toc-t-{item.slug}")
                     for name, items in chunks for item in items if isinstance(item, TermEntry)
                     ] if self.toc_terms else []
            name = self._letter_name(letter, 1)
            # A letter may hold see entries only (a synonym whose term is filed elsewhere).
            toc.append((epub.Section(name, chunks[0][0]), terms) if terms else epub.Link(chunks[0][0], name,
                                                                                       f"toc-{chunks[0][0][:-6]}"))
        return toc

    def _nav_body(self, toc: list[Any], front: list[epub.EpubItem], first_letter: epub.EpubItem,
                  index: epub.EpubItem) -> str:
        """The navigation document, also a page of the book: contents with a strip of letters; the terms
        are listed for the reading system's contents only, the landmarks for the reading system only."""
        labels = self.labels

        def items(entries: list[Any], depth: int) -> list[str]:
            out = []
            for entry in entries:
                if isinstance(entry, tuple):
                    section, children = entry
                    css = ' class="toc-letters"' if depth == 0 else ""
                    hidden = ' hidden=""' if depth == 1 else ""
                    out.append(f'<li><a href="{esc(section.href)}">{esc(section.title)}</a>'
                               f'<ol{css}{hidden}>{"".join(items(children, depth + 1))}</ol></li>')
                else:
                    out.append(f'<li><a href="{esc(entry.href)}">{esc(entry.title)}</a></li>')
            return out

        landmarks = [
            ("cover", front[0].file_name, labels["cover"]),
            ("titlepage", front[2].file_name, labels["title_page"]),
            ("toc", "nav.xhtml#toc", labels["contents"]),
            ("bodymatter", first_letter.file_name, labels["start"]),
            ("index", index.file_name, labels["index"]),
        ]
        return (
            f'<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">'
            f'<h1 id="toc-title">{esc(labels["contents"])}</h1><ol class="toc">{"".join(items(toc, 0))}</ol></nav>'
            f'<nav epub:type="landmarks" id="landmarks" hidden="" aria-label="{esc(labels["landmarks"])}"><ol>'
            + "".join(f'<li><a epub:type="{kind}" href="{href}">{esc(title)}</a></li>'
                      for kind, href, title in landmarks)
            + "</ol></nav>"
        )

    def _metadata(self) -> None:
        book, labels, options = self.book, self.labels, self.options
        book.set_identifier(book_identifier(options))
        book.title = self.title
        book.add_metadata("DC", "title", self.title, {"id": "title"})
        book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
        if options.subtitle:
            book.add_metadata("DC", "title", options.subtitle, {"id": "subtitle"})
            book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
        for lang in options.languages:
            book.set_language(lang)
        if self.dictionary:
            # A dictionary's source and target languages are the book's languages too.
            if "fr" not in options.languages:
                book.set_language("fr")
            book.add_metadata("DC", "type", "dictionary")
            book.add_metadata(None, "meta", "bilingual", {"property": "dictionary-type"})
        book.language = self.main
        book.add_metadata("DC", "creator", self.creator, {"id": "creator"})
        book.add_metadata(None, "meta", "aut", {"refines": "#creator", "property": "role", "scheme": "marc:relators"})
        if options.organisation:
            # The organisation publishes its own edition; the lexicon's publisher stays credited.
            book.add_metadata("DC", "publisher", options.organisation)
            book.add_metadata("DC", "contributor", self.publisher, {"id": "lexicon-publisher"})
            book.add_metadata(None, "meta", "pbl",
                              {"refines": "#lexicon-publisher", "property": "role", "scheme": "marc:relators"})
        else:
            book.add_metadata("DC", "publisher", self.publisher)
        # The date of the edition where it was made, as on its cover (dcterms:modified stays in UTC).
        book.add_metadata("DC", "date", self.local_date.isoformat())
        book.add_metadata("DC", "rights",
                          f"{settings.LEXIQUE_CONTENT_LICENCE} ({settings.LEXIQUE_CONTENT_LICENCE_URL})")
        book.add_metadata("DC", "description", labels["description"][options.lang])
        if self.public_site:
            book.add_metadata("DC", "source", self.home)
        for domain in self.published.selected_domains or self._domains_in_book():
            book.add_metadata("DC", "subject", domain.name(self.main))
        # EPUB Accessibility 1.1: how the book can be read, what helps, what could harm, and the claim.
        meta = [
            ("schema:accessMode", "textual"),
            ("schema:accessMode", "visual"),
            ("schema:accessModeSufficient", "textual"),
            ("schema:accessibilityFeature", "alternativeText"),
            ("schema:accessibilityFeature", "displayTransformability"),
            ("schema:accessibilityFeature", "index"),
            ("schema:accessibilityFeature", "readingOrder"),
            ("schema:accessibilityFeature", "structuralNavigation"),
            ("schema:accessibilityFeature", "tableOfContents"),
            ("schema:accessibilityHazard", "none"),
            ("schema:accessibilitySummary", labels["summary"]),
            ("dcterms:conformsTo", CONFORMANCE),
            ("a11y:certifiedBy", self.publisher),
        ]
        for prop, value in meta:
            book.add_metadata(None, "meta", value, {"property": prop})

    def _domains_in_book(self) -> list[DomainEntry]:
        present = {domain.id for term in self.published.terms for domain in term.domains}
        return [domain for domain in self.published.domains if domain.id in present]

    # -- front matter -------------------------------------------------------------------------
    def _logo_alt(self) -> str:
        organisation = self.options.organisation
        if not organisation:
            return self.labels["logo"]
        # From rules 2, "Logo : name", which needs no article ("Logo de Conseil…" lacked one).
        return self.labels["logo_alt" if self.published.book_rules < 2 else "logo_named"].format(
            organisation=organisation)

    def _cover_alt(self) -> str:
        subtitle = f" — {self.options.subtitle}" if self.options.subtitle else ""
        alt = self.labels["cover_alt"].format(title=self.title, subtitle=subtitle, edition=self.edition)
        if self.options.organisation:
            alt += " " + self.labels["organisation_edition"].format(organisation=self.options.organisation) + "."
        if self.logo:
            alt += " " + self._logo_alt() + "."
        return alt

    def _cover_page(self) -> str:
        return (f'<section class="cover" epub:type="cover"><img src="couverture.jpg" role="doc-cover" '
                f'alt="{esc(self._cover_alt())}"/></section>')

    def _half_title(self) -> str:
        return f'<section epub:type="halftitlepage"><h1 class="halftitle">{esc(self.title)}</h1></section>'

    def _title_page(self) -> str:
        labels, options = self.labels, self.options
        parts = ['<section class="titlepage" epub:type="titlepage">']
        if self.logo:
            parts.append(f'<p class="logo"><img src="{LOGO_FILE}" alt="{esc(self._logo_alt())}"/></p>')
        parts.append(f'<h1 class="title">{esc(self.title)}</h1>')
        if options.subtitle:
            parts.append(f'<p class="subtitle">{esc(options.subtitle)}</p>')
        if options.title:
            parts.append(f'<p>{esc(labels["based_on"].format(name=self.name))}</p>')
        if options.organisation:
            # Named alone, as a publisher's imprint is.
            parts.append(f'<p class="organisation">{esc(options.organisation)}</p>')
        parts.append(f'<p class="publisher">{esc(self.publisher)}</p><p>{esc(self.edition)}</p></section>')
        return "".join(parts)

    def _licence_link(self) -> str:
        return (f'<a href="{url(settings.LEXIQUE_CONTENT_LICENCE_URL)}">'
                f'{esc(settings.LEXIQUE_CONTENT_LICENCE)}</a>')

    def _copyright_page(self) -> str:
        labels, options, published = self.labels, self.options, self.published
        domains = ", ".join(domain.name(self.main) for domain in published.selected_domains) or labels["all_domains"]
        lines = [f"<strong>{esc(self.title)}</strong>" + (f"<br/>{esc(options.subtitle)}" if options.subtitle else "")]
        if options.title:
            lines.append(esc(labels["based_on"].format(name=self.name)))
        lines += [
            esc(labels["edition_statement"].format(date=self.date)),
            esc(labels["licence_attribution"].format(name=self.name)),
        ]
        if options.organisation:
            lines.append(esc(labels["organisation_edition"].format(organisation=options.organisation)))
        lines += [
            esc(labels["publisher"].format(publisher=self.publisher)),
            f"© {self.local_date.year} {esc(self.creator)}. "
            + esc(labels["licence"]).replace("{licence}", self._licence_link()),
            " · ".join([
                esc(labels["terms_count"].format(count=len(published.terms))),
                # From rules 2, a book of every domain says nothing of them.
                *([esc(labels["domains_list"].format(domains=domains))]
                  if published.selected_domains or published.book_rules < 2 else []),
                esc(labels["language"].format(language=labels["languages"][options.lang])),
            ]),
        ]
        if self.public_site:
            lines.append(f'<a href="{url(self.home)}">{esc(self.home)}</a>')
        lines.append(esc(labels["identifier"].format(identifier=book_identifier(options))))
        return (f'<section class="copyright" epub:type="copyright-page" aria-labelledby="copyright-title">'
                f'<h1 id="copyright-title">{esc(labels["copyright"])}</h1>'
                + "".join(f"<p>{line}</p>" for line in lines) + "</section>")

    def _preface(self) -> str:
        labels, options = self.labels, self.options
        paragraphs_ = [esc(text.format(name=self.name)) for text in labels["preface_text"]]
        if options.organisation:
            paragraphs_.append(esc(labels["preface_custom"].format(organisation=options.organisation)))
        if self.public_site:
            site = f'<a href="{url(self.home)}">{esc(self.home)}</a>'
            paragraphs_.append(esc(labels["preface_site"]).replace("{site}", site))
        return (f'<section epub:type="preface" role="doc-preface" aria-labelledby="preface-title">'
                f'<h1 id="preface-title">{esc(labels["preface"])}</h1>'
                + "".join(f"<p>{text}</p>" for text in paragraphs_) + "</section>")

    def _how_to_use(self) -> str:
        labels = self.labels
        texts = list(labels["how_to_use_text"])
        if self.options.lang == "bilingual":
            texts.append(labels["how_to_use_bilingual"])
        elif self.options.lang == "en":
            texts.append(labels["how_to_use_english"])
        parts = [f'<section epub:type="introduction" role="doc-introduction" aria-labelledby="howto-title">'
                 f'<h1 id="howto-title">{esc(labels["how_to_use"])}</h1>']
        parts += [f"<p>{esc(text)}</p>" for text in texts]
        parts.append(f'<section id="legende" aria-labelledby="legend-title"><h2 id="legend-title">'
                     f'{esc(labels["legend"])}</h2>')
        # The few parts of speech of the book (each is one interned string), then their stripped forms.
        labels_of_terms = {headword_grammar(term, "fr") for term in self.published.terms}
        categories = sorted({category.strip() for category in labels_of_terms} - {""}, key=normalize)
        if self.run_in:
            # A word that abbreviates nothing ("sigle") is no abbreviation; the entries' own labels are.
            categories = [category for category in categories if _word(category_name(category, self.main))
                          != _word(category)]
        if categories or self.run_in:
            parts.append(f'<h3>{esc(labels["abbreviations"])}</h3><dl class="details">')
            for category in categories:
                name = category_name(category, self.main)
                parts.append(f'<dt{self._lang("fr")}>{esc(category)}</dt>'
                             f'<dd>{esc(name) if name else "—"}</dd>')
            if self.run_in:
                for short, title in labels["run_in"].values():
                    parts.append(f"<dt>{esc(short)}</dt><dd>{esc(title)}</dd>")
                parts.append(f'<dt>→</dt><dd>{esc(labels["see"])}, {esc(labels["see_also_arrow"])}</dd>')
            parts.append("</dl>")
        parts.append(f'<h3>{esc(labels["statuses"])}</h3><dl class="details">')
        status_open, status_close = ('<span class="status">', "</span>") if self.run_in else ("", "")
        for status, meaning in labels["status_legend"].items():
            parts.append(f'<dt>{status_open}{esc(labels["status"][status])}{status_close}</dt><dd>{esc(meaning)}</dd>')
        parts.append("</dl></section></section>")
        return "".join(parts)

    # -- letters and entries ------------------------------------------------------------------
    def _letter_name(self, letter: str, number: int) -> str:
        name = self.labels["symbols"] if letter == "#" else letter
        return name if number == 1 else self.labels["continued"].format(letter=name)

    def _az_strip(self, current: str) -> str:
        if not hasattr(self, "_strip"):
            self._strip: list[tuple[str, str, str]] = [(letter, chunks[0][0], "0–9" if letter == "#" else letter)
                           for letter, chunks in self.letters]
        items = []
        for letter, file_name, label in self._strip:
            name = esc(self.labels["symbols"]) if letter == "#" else label
            if letter == current:
                items.append(f'<li><span aria-current="page" title="{name}">{label}</span></li>')
            else:
                items.append(f'<li><a href="{file_name}" title="{name}">{label}</a></li>')
        return f'<nav class="az" aria-label="{self.text["letters"]}"><ul>{"".join(items)}</ul></nav>'

    def _read_texts(self, page: int) -> None:
        """The texts of the terms of `page` and of the pages after it, READ_CHUNK terms in one query:
        pages are written in order, and a query per page would cost more than the page."""
        if page < self._read_until:
            return
        batch: list[TermEntry] = []
        last = page
        for last in range(page, len(self._pages)):
            batch += [item for item in self._pages[last] if isinstance(item, TermEntry)]
            if len(batch) >= READ_CHUNK:
                break
        self.exporter.fill_details(batch, self.published, strict=self.strict)
        self._read_until = last + 1

    def _letter_page(self, letter: str, number: int, page: int) -> str:
        """A page of entries, their texts read from the database with those of the next pages, and
        forgotten once the page is made."""
        items = self._pages[page]
        terms = [item for item in items if isinstance(item, TermEntry)]
        self._read_texts(page)
        try:
            heading_id = f"lettre-{'0' if letter == '#' else letter.lower()}-{number}"
            heading = f'<h1 id="{heading_id}">{esc(self._letter_name(letter, number))}</h1>'
            if self.dictionary:
                parts = [self._az_strip(letter),
                         f'<section class="letter dictionary" epub:type="dictionary" aria-labelledby="{heading_id}">',
                         heading]
            else:
                parts = [self._az_strip(letter),
                         f'<section class="letter" epub:type="glossary" role="doc-glossary" '
                         f'aria-labelledby="{heading_id}">', f'{heading}<dl class="glossary">']
            parts += [self._entry(item) if isinstance(item, TermEntry) else self._see_entry(item) for item in items]
            parts.append("</section>" if self.dictionary else "</dl></section>")
            return "".join(parts)
        finally:
            self.exporter.clear_details(terms)

    def _href(self, term: TermEntry) -> str:
        return f"{self.file_of[term.id]}#t-{term.slug}"

    def _term_link(self, term: TermEntry, opening: str = "<a ") -> str:
        """A link to a term's entry (made each time: a cache of them would hold the whole lexicon)."""
        if self.english_links and term.headword_en:
            headword = term.headword_en if term.id not in self._typeset_en else self._t(term.headword_en, "en")
            return f'{opening}href="{self.file_of[term.id]}#t-{term.slug}">{headword}</a>'
        headword = term.headword_fr if term.id not in self._typeset_fr else self._t(term.headword_fr, "fr")
        return f'{opening}href="{self.file_of[term.id]}#t-{term.slug}"{self._french_attrs}>{headword}</a>'

    def _typed_link(self, term: TermEntry, types: str) -> str:
        """The link to a term's entry with EPUB Indexes semantics."""
        return self._term_link(term, f'<a epub:type="{types}" ')

    def _related(self, pk: int) -> str:
        if pk in self.file_of:
            return self._term_link(self._terms_by_id[pk])
        # Outside a partial edition: named, never linked out of the book.
        row = self.published.outside[pk]
        headword, lang = (row["headword_en"], "en") if self.main == "en" and row["headword_en"] else (
            row["headword_fr"], "fr")
        return (f'<span{self._lang(lang)}>{self._t(headword, lang)}</span> '
                f'<span class="absent">({self.text["not_in_edition"]})</span>')

    def _category(self, category: str, lang_of_term: str) -> str:
        """The part of speech, spelled out for assistive technology and in the legend (made once for each
        of the few there are)."""
        markup = self._categories.get(category)
        if markup is None:
            name = category_name(category, self.main)
            text = esc(category) if self.main == "fr" else f'<span{lang_attr("fr")}>{esc(category)}</span>'
            abbr = f'<abbr title="{esc(name)}">{text}</abbr>' if name else text
            markup = self._categories[category] = f'<span class="category">{abbr}</span>'
        return markup

    def _see_entry(self, item: SeeEntry) -> str:
        status = self.labels["status"].get(item.status, "")
        if self.run_in:
            # As a dictionary: "mégadata (déconseillé) → mégadonnées", the status in italics as everywhere.
            status = f' (<span class="status">{esc(status)}</span>)' if status and item.status != "preferred" else ""
            see = f'<span class="see-label" role="img" aria-label="{self.text["see"]}">→</span>'
        else:
            status = (f' <span class="category">({esc(status)})</span>' if status and item.status != "preferred"
                      else "")
            see = f'<span class="see-label">{self.text["see"]}</span>'
        status += self._kind(item)
        if self.dictionary:
            return (f'<article class="see" epub:type="dictentry" id="{item.anchor}"><p>'
                    f'<dfn{self._lang(item.lang)}>{self._t(item.text, item.lang)}</dfn>{status} '
                    f'{see} {self._term_link(item.target)}</p></article>')
        return (f'<dt class="see" id="{item.anchor}"{self._lang(item.lang)}>'
                f'{self._t(item.text, item.lang)}{status}</dt>'
                f'<dd class="see">{see} {self._term_link(item.target)}</dd>')

    def _entry(self, term: TermEntry) -> str:
        if self.run_in:
            return self._run_in_entry(term)
        main, t, langs = self.main, self._t, self._lang_attrs
        if main == "en" and term.headword_en:
            # The part of speech describes the French term (n. f. is "nom féminin"), so it goes with it.
            label = headword_grammar(term, "fr")
            category = ", " + self._category(label, "fr") if label else ""
            head_lang, head = "", f'<dfn>{t(term.headword_en, "en")}</dfn>'
            entry = (f'<p class="equivalent">{self.text["french_term"]}: '
                     f'<span{lang_attr("fr")}>{t(term.headword_fr, "fr")}</span>{category}</p>')
        else:
            label = headword_grammar(term, "fr")
            category = " " + self._category(label, "fr") if label else ""
            head_lang, head = langs["fr"], f'<dfn>{t(term.headword_fr, "fr")}</dfn>{category}'
            entry = ""
        definition, lang = term.text("definition_html", main)
        entry += f'<div class="definition"{langs[lang]}>{contributed_html(definition, lang, self.convention)}</div>'
        if self.bilingual and (term.headword_en or term.definition_html_en):
            entry += _EN_DIV
            if term.headword_en:
                entry += f'<p class="equivalent"><dfn>{t(term.headword_en, "en")}</dfn></p>'
            if term.definition_html_en:
                english = contributed_html(term.definition_html_en, "en", self.convention)
                entry += f'<div class="definition">{english}</div>'
            entry += "</div>"
        details = self._details(term)
        if details:
            entry += f'<dl class="details">{details}</dl>'
        if self.dictionary:
            return (f'<article epub:type="dictentry" id="t-{term.slug}"><p class="headword"{head_lang}>{head}</p>'
                    f'{entry}</article>')
        return (f'<dt epub:type="glossterm" id="t-{term.slug}"{head_lang}>{head}</dt>'
                f'<dd epub:type="glossdef">{entry}</dd>')

    def _run_in_entry(self, term: TermEntry) -> str:
        """An entry as a dictionary sets it (rules 5): the headword, its category and the definition in one
        paragraph, then the examples in italics, the synonyms and remarks of that language; in the bilingual
        book the English the same way; then → related terms, domains and sources."""
        main, t, langs, text = self.main, self._t, self._lang_attrs, self.text
        label = headword_grammar(term, "fr")
        category = " " + self._category(label, "fr") if label else ""
        if main == "en" and term.headword_en:
            head_lang, head = "", f'<dfn>{t(term.headword_en, "en")}</dfn>'
            french = (f'<p class="equivalent"><span class="label">{text["french_equivalent"]}</span> '
                      f'<span{lang_attr("fr")}>{t(term.headword_fr, "fr")}</span>{category}</p>')
        else:
            head_lang, head, french = langs["fr"], f"<dfn>{t(term.headword_fr, 'fr')}</dfn>{category}", ""
        definition, lang = term.text("definition_html", main)
        entry = (f'<div class="definition"{langs[lang]}>{contributed_html(definition, lang, self.convention)}</div>'
                 f'{french}{self._language_details(term, main)}')
        if self.bilingual:
            english = self._language_details(term, "en")
            if term.headword_en or term.definition_html_en or english:
                entry += _EN_DIV
                if term.headword_en:
                    entry += f'<p class="equivalent"><dfn>{t(term.headword_en, "en")}</dfn></p>'
                if term.definition_html_en:
                    entry += (f'<div class="definition">'
                              f'{contributed_html(term.definition_html_en, "en", self.convention)}</div>')
                entry += english + "</div>"
        entry += self._shared_details(term)
        if self.dictionary:
            return (f'<article epub:type="dictentry" id="t-{term.slug}"><p class="headword"{head_lang}>{head}</p>'
                    f'{entry}</article>')
        return (f'<dt epub:type="glossterm" id="t-{term.slug}"{head_lang}>{head}</dt>'
                f'<dd epub:type="glossdef">{entry}</dd>')

    def _language_details(self, term: TermEntry, lang: str) -> str:
        """A run-in entry's examples (in italics), synonyms and remarks in `lang`, each introduced by a
        short label, statuses in the words of that language."""
        labels = self._labels_in[lang]
        out = ""
        examples = getattr(term, f"examples_html_{lang}", "")
        if examples:
            rendered = contributed_html(examples, lang, self.convention)
            out += (f'<div class="examples"{self._lang(lang)}>'
                    f'{_labelled(self._run_in_labels[lang]["examples"], rendered)}</div>')
        synonyms = []
        for synonym in term.synonyms or ():
            if synonym.get("lang", "fr") != lang or not synonym.get("text"):
                continue
            word_lang = self._synonym_lang(term, synonym)
            status = labels["status"].get(synonym.get("status"), "")
            synonyms.append(f'<span{lang_attr(word_lang) if word_lang != lang else ""}>'
                            f'{self._t(synonym["text"], word_lang)}</span>'
                            + (f' (<span class="status">{esc(status)}</span>)' if status else ""))
        if synonyms:
            out += (f'<p class="synonyms"{self._lang(lang)}>{self._run_in_labels[lang]["synonyms"]} '
                    f'{", ".join(synonyms)}</p>')
        notes = getattr(term, f"notes_html_{lang}", "")
        if notes:
            label = f'<span class="label">{esc(labels["note_label"])}</span>'
            out += (f'<div class="notes"{self._lang(lang)}>'
                    f'{_labelled(label, contributed_html(notes, lang, self.convention))}</div>')
        return out

    def _shared_details(self, term: TermEntry) -> str:
        """What a run-in entry gives in the book's language whatever the language of its texts: → related
        terms in the book (one outside it would lead nowhere), its domains and its sources."""
        text, out = self.text, ""
        related = [self._term_link(self._terms_by_id[pk]) for pk in term.related or () if pk in self.file_of]
        if related:
            out += (f'<p class="xref"><span class="label" role="img" aria-label="{text["see_also_arrow"]}">→</span> '
                    f'{", ".join(related)}</p>')
        if term.domains:
            links = ", ".join([self._domain_links[domain.id] for domain in term.domains])
            out += f'<p class="domains"><span class="label">{text["domains_label"]}</span> {links}</p>'
        if term.sources:
            listed = self._sources_separator.join(
                citation_html(source, self.main, rel=None, address=book_url, typeset=curly_apostrophes,
                              with_definition=True) for source in term.sources)
            out += f'<p class="sources"><span class="label">{text["sources_label"]}</span> {listed}</p>'
        return out

    def _texts(self, term: TermEntry, name: str) -> str:
        """Examples or notes in each language of the book, as rendered from their Markdown when approved
        (emphasis, lists, links), each language's block marked with its language."""
        out = ""
        for field, lang, opening in self._text_fields[name]:
            rendered = getattr(term, field)
            if rendered:
                out += f"{opening}{contributed_html(rendered, lang, self.convention)}</div>"
        return out

    def _details(self, term: TermEntry) -> str:
        text, out = self.text, ""
        if term.synonyms:
            languages, status_labels = self.options.languages, self.labels["status"]
            items = []
            for synonym in term.synonyms:
                if synonym.get("lang", "fr") not in languages:
                    continue
                lang = self._synonym_lang(term, synonym)
                status = status_labels.get(synonym.get("status"), "")
                items.append(f'<span{self._lang_attrs[lang]}>{self._t(synonym.get("text"), lang)}</span>'
                             + (f" ({esc(status)})" if status else ""))
            if items:
                out += f'<dt>{text["synonyms"]}</dt><dd>{", ".join(items)}</dd>'
        for name in ("examples", "notes"):
            texts = self._texts(term, name)
            if texts:
                out += f"<dt>{text[name]}</dt><dd>{texts}</dd>"
        if term.domains:
            links = ", ".join([self._domain_links[domain.id] for domain in term.domains])
            out += f'<dt>{text["domains"]}</dt><dd>{links}</dd>'
        if term.related:
            links = ", ".join([self._related(pk) for pk in term.related])
            out += f'<dt>{text["related"]}</dt><dd>{links}</dd>'
        if term.sources:
            cited = (citation_html(source, self.main, rel=None, address=book_url, typeset=curly_apostrophes,
                                   with_definition=True) for source in term.sources)
            listed = "".join(f"<li>{citation}</li>" for citation in cited)
            out += f'<dt>{text["sources"]}</dt><dd><ul>{listed}</ul></dd>'
        return out

    # -- back matter --------------------------------------------------------------------------
    def _index_groups(self, entries: list[IndexEntry], index_id: str, ordered: bool = False) -> Iterator[str]:
        """Index entries (sort key, initial, markup maker, its argument) grouped by letter, in EPUB Indexes
        markup; each entry's markup is made as it is written. Sorted first unless `ordered` already."""
        if not ordered:
            entries.sort(key=lambda entry: (entry[1] != "#", entry[0]))
        for letter, group in groupby(entries, key=lambda entry: entry[1]):
            label = esc(self.labels["symbols"]) if letter == "#" else letter
            group_id = f"{index_id}-{'0' if letter == '#' else letter.lower()}"
            yield (f'<section epub:type="index-group" aria-labelledby="{group_id}"><h2 id="{group_id}">{label}</h2>'
                   f'<ul epub:type="index-entry-list">')
            # A few hundred entries to a piece: a piece per entry would cost more than the entry.
            while batch := list(islice(group, INDEX_BATCH)):
                yield "".join([f'<li epub:type="index-entry">{make(argument)}</li>'
                               for _key, _initial, make, argument in batch])
            yield "</ul></section>"

    def _index(self, index_id: str, title: str, intro: str, entries: list[IndexEntry],
               ordered: bool = False) -> Iterator[str]:
        if not entries:
            yield (f'<section class="index" aria-labelledby="{index_id}-title">'
                   f'<h1 id="{index_id}-title">{esc(title)}</h1>'
                   f'<p>{esc(self.labels["empty"])}</p></section>')
            return
        yield (f'<section class="index" epub:type="index" role="doc-index" aria-labelledby="{index_id}-title">'
               f'<h1 id="{index_id}-title">{esc(title)}</h1>'
               f'<header epub:type="index-headnotes"><p>{esc(intro)}</p></header>')
        yield from self._index_groups(entries, index_id, ordered)
        yield "</section>"

    def _headword_index_entry(self, term: TermEntry) -> str:
        return self._term_link(term, '<a epub:type="index-term index-locator" ')

    def _kind(self, item: SeeEntry) -> str:
        """" (sigle)" after a see entry of an abbreviation, acronym or initialism (rules 6), else nothing."""
        kind = self.labels["kind"].get(item.kind, "") if item.kind else ""
        return f' <span class="category">({esc(kind)})</span>' if kind else ""

    def _see_index_entry(self, item: SeeEntry) -> str:
        return (f'<span epub:type="index-term"{self._lang(item.lang)}>{self._t(item.text, item.lang)}</span>'
                f'{self._kind(item)} '
                f'<span epub:type="index-xref-preferred">{self.text["see"]} '
                f'{self._typed_link(item.target, "index-term")}</span>')

    def _alphabetical_index(self) -> Iterator[str]:
        """Every headword and see entry, in the order of the letter pages (sorted once, when planned)."""
        entries: list[IndexEntry] = [
            (item.sort_key, item.initial,
             self._headword_index_entry if isinstance(item, TermEntry) else self._see_index_entry, item)
            for _letter, chunks in self.letters for _name, items in chunks for item in items
        ]
        return self._index("ix", self.labels["index"], self.labels["index_intro"], entries, ordered=True)

    def _equivalents_index(self, source: str, target: str, name: str) -> Iterator[str]:
        """Terms by their name in `source`, each with its equivalent in `target` leading to the entry."""
        return self._index(name.replace("_", "-"), self.labels[name], self.labels[f"{name}_intro"],
                           self._equivalents_entries(source, target))

    def _equivalents_markup(self, source: str, target: str) -> Callable[[Any], str]:
        """What makes an entry of the index of terms by their name in `source`: from a term (under its own
        name), or from a tuple ending with a synonym's text and its term."""
        source_field, target_field, t, file_of = f"headword_{source}", f"headword_{target}", self._t, self.file_of
        term_opening = f'<span epub:type="index-term"{self._lang(source)}>'
        target_attr = self._lang(target)

        def markup(argument: TermEntry | tuple[Any, ...]) -> str:
            if isinstance(argument, tuple):
                text, term = argument[-2], argument[-1]
            else:
                term, text = argument, getattr(argument, source_field)
            equivalent = getattr(term, target_field)
            link = (f'{target_attr}>{t(equivalent, target)}' if equivalent
                    else f'{self._lang_attrs["fr"]}>{t(term.headword_fr, "fr")}')
            return (f'{term_opening}{t(text, source)}</span> — '
                    f'<a epub:type="index-locator" href="{file_of[term.id]}#t-{term.slug}"{link}</a>')

        return markup

    def _equivalents_entries(self, source: str, target: str) -> list[IndexEntry]:
        markup = self._equivalents_markup(source, target)
        return [(key, initial_of_key(key), markup, term if is_headword else (text, term))
                for key, text, term, is_headword in self._names_in(source)]

    def _names_in(self, source: str) -> Iterator[tuple[str, str, TermEntry, bool]]:
        """(key, text, term, is it the headword) of each term's headword and synonyms in `source`, in the
        terms' order, a term's key once: what the index of terms by their `source` names lists."""
        source_field = f"headword_{source}"
        for term in self.published.terms:
            text = getattr(term, source_field)
            key = (term.other_key or normalize(text)) if text else ""
            if key:
                yield key, text, term, True
            if term.synonyms:
                seen = {key}
                for synonym in term.synonyms:
                    if synonym.get("lang") != source:
                        continue
                    text = synonym.get("text") or ""
                    key = normalize(text)
                    if key and key not in seen:
                        seen.add(key)
                        yield key, text, term, False

    # -- an index in several files (rules 5) ---------------------------------------------------
    def _split_indexes(self, other: tuple[str, str] | None) -> tuple[list[epub.EpubItem], list[epub.EpubItem]]:
        """The indexes, each in as many files as its size needs: every file, and each index's first."""
        labels = self.labels
        self._index_starts: dict[str, str] = {}
        indexes = [self._index_documents("index", "index", labels["index"], labels["index_intro"],
                                         self._alphabetical_groups())]
        if other:
            name, stem = ("index_en_fr", "index-anglais") if other[0] == "en" else ("index_fr_en", "index-francais")
            indexes.append(self._index_documents(
                name, stem, labels[name], labels[f"{name}_intro"],
                self._equivalents_groups(*other, name.replace("_", "-"))))
        indexes.append(self._index_documents("domains", "index-domaines", labels["index_domains"],
                                             labels["index_domains_intro"], self._domain_groups()))
        # An entry's domains lead to the file where their group starts.
        for domain in self.published.domains:
            start = self._index_starts.get(f"d-{domain.slug}")
            if start:
                self._domain_links[domain.id] = (f'<a href="{start}#d-{domain.slug}">'
                                                 f'{self._t(domain.name(self.main), self.main)}</a>')
        return [document for documents in indexes for document in documents], [documents[0] for documents in indexes]

    def _equivalents_groups(self, source: str, target: str, index_id: str) -> list[IndexGroup]:
        """The groups of the index of terms by their name in `source`, planned lean: a term is its own entry,
        sorted by the key it already has; only a synonym makes a tuple (its key, its text, its term)."""
        symbols: list[Any] = []
        letters: list[Any] = []
        for key, text, term, is_headword in self._names_in(source):
            (symbols if initial_of_key(key) == "#" else letters).append(
                term if is_headword and key == term.other_key else (key, text, term))

        def key_of(argument: Any) -> str:
            return argument[0] if isinstance(argument, tuple) else argument.other_key

        make = self._equivalents_markup(source, target)
        groups = []
        for arguments in (symbols, letters):
            arguments.sort(key=key_of)
            for letter, group in groupby(arguments, key=lambda argument: initial_of_key(key_of(argument))):
                groups.append(IndexGroup(group_id=f"{index_id}-{'0' if letter == '#' else letter.lower()}",
                                         label=esc(self.labels["symbols"]) if letter == "#" else letter,
                                         strip="0–9" if letter == "#" else letter, make=make, entries=list(group)))
        return groups

    def _alphabetical_groups(self) -> list[IndexGroup]:
        """The alphabetical index's groups: the letter pages' items themselves (no copy of the lexicon)."""
        return [IndexGroup(group_id=f"ix-{'0' if letter == '#' else letter.lower()}",
                           label=esc(self.labels["symbols"]) if letter == "#" else letter,
                           strip="0–9" if letter == "#" else letter, make=self._alphabetical_markup,
                           entries=[item for _name, items in chunks for item in items])
                for letter, chunks in self.letters]

    def _alphabetical_markup(self, item: TermEntry | SeeEntry) -> str:
        return self._headword_index_entry(item) if isinstance(item, TermEntry) else self._see_index_entry(item)

    def _domain_groups(self) -> list[IndexGroup]:
        members: dict[int, list[TermEntry]] = {}
        for term in self.published.terms:
            for domain in term.domains:
                members.setdefault(domain.id, []).append(term)
        groups = []
        for domain in self.published.domains:
            if domain.id not in members:
                continue
            heading = self._t(domain.name(self.main), self.main)
            if (self.options.lang == "bilingual" and domain.name_en
                    and normalize(domain.name_en) != normalize(domain.name_fr)):
                heading += f' / <span{lang_attr("en")}>{self._t(domain.name_en, "en")}</span>'
            groups.append(IndexGroup(group_id=f"d-{domain.slug}", label=heading, strip="",
                                     make=self._headword_index_entry, entries=members[domain.id]))
        return groups

    def _index_documents(self, uid: str, stem: str, title: str, intro: str,
                         groups: list[IndexGroup]) -> list[epub.EpubItem]:
        """An index as documents of at most INDEX_ENTRIES_PER_FILE entries: groups follow each other in a
        file; a group too large for one is continued in the next ("M (continued)")."""
        if not groups:
            return [self._document(uid, f"{stem}.xhtml", title, partial(self._index, uid, title, intro, []),
                                   "backmatter")]
        parts = _pack(groups, INDEX_ENTRIES_PER_FILE)
        names = [f"{stem}.xhtml" if number == 0 else f"{stem}-{number + 1}.xhtml" for number in range(len(parts))]
        # Where each group starts: its links and the strip of the index's letters lead there.
        starts: dict[str, str] = {}
        for name, part in zip(names, parts, strict=True):
            for group, _entries, continued in part:
                if not continued:
                    starts[group.group_id] = name
        self._index_starts.update(starts)
        strip = [(group.strip, starts[group.group_id]) for group in groups if group.strip]
        documents = []
        for number, (name, part) in enumerate(zip(names, parts, strict=True)):
            heading = title if number == 0 else self.labels["continued"].format(letter=title)
            documents.append(self._document(
                f"{uid}-{number + 1}" if number else uid, name, heading,
                partial(self._index_part, uid, heading, intro if number == 0 else "", part,
                        strip if len(parts) > 1 else [], name),
                "backmatter"))
        return documents

    def _index_part(self, uid: str, heading: str, intro: str, part: list[tuple[IndexGroup, list[Any], bool]],
                    strip: list[tuple[str, str]], name: str) -> Iterator[str]:
        title_id = f"{uid}-title"
        yield (f'<section class="index" epub:type="index" role="doc-index" aria-labelledby="{title_id}">'
               f'<h1 id="{title_id}">{esc(heading)}</h1>')
        if intro:
            yield f'<header epub:type="index-headnotes"><p>{esc(intro)}</p></header>'
        if strip:
            here = {group.strip for group, _entries, _continued in part}
            items = []
            seen: set[str] = set()
            for label, target in strip:
                if label in seen:
                    continue
                seen.add(label)
                # From rules 6, a letter continued from the file before is as current as one starting here.
                current = label in here and (target == name or self.published.book_rules >= 6)
                items.append(f'<li><span aria-current="page">{label}</span></li>' if current
                             else f'<li><a href="{target}">{label}</a></li>')
            yield f'<nav class="az" aria-label="{self.text["letters"]}"><ul>{"".join(items)}</ul></nav>'
        for group, entries, continued in part:
            group_id = f"{group.group_id}-{name[:-6]}" if continued else group.group_id
            label = self.labels["continued"].format(letter=group.label) if continued else group.label
            yield (f'<section epub:type="index-group" aria-labelledby="{group_id}"><h2 id="{group_id}">{label}</h2>'
                   f'<ul epub:type="index-entry-list">')
            make = group.make
            for start in range(0, len(entries), INDEX_BATCH):
                yield "".join([f'<li epub:type="index-entry">{make(argument)}</li>'
                               for argument in entries[start:start + INDEX_BATCH]])
            yield "</ul></section>"
        yield "</section>"

    def _domain_index(self) -> Iterator[str]:
        labels = self.labels
        members: dict[int, list[TermEntry]] = {}
        for term in self.published.terms:
            for domain in term.domains:
                members.setdefault(domain.id, []).append(term)
        if not members:
            yield (f'<section class="index" aria-labelledby="domains-title"><h1 id="domains-title">'
                   f'{esc(labels["index_domains"])}</h1><p>{esc(labels["empty"])}</p></section>')
            return
        yield (f'<section class="index" epub:type="index" role="doc-index" aria-labelledby="domains-title">'
               f'<h1 id="domains-title">{esc(labels["index_domains"])}</h1>'
               f'<header epub:type="index-headnotes"><p>{esc(labels["index_domains_intro"])}</p></header>')
        for domain in self.published.domains:
            terms = members.get(domain.id)
            if not terms:
                continue
            heading = self._t(domain.name(self.main), self.main)
            if (self.options.lang == "bilingual" and domain.name_en
                    and normalize(domain.name_en) != normalize(domain.name_fr)):
                heading += f' / <span{lang_attr("en")}>{self._t(domain.name_en, "en")}</span>'
            yield (f'<section epub:type="index-group" aria-labelledby="d-{domain.slug}">'
                   f'<h2 id="d-{domain.slug}">{heading}</h2><ul epub:type="index-entry-list">')
            opening = '<li epub:type="index-entry"><a epub:type="index-term index-locator" '
            for start in range(0, len(terms), INDEX_BATCH):
                yield "".join([f"{self._term_link(term, opening)}</li>" for term in terms[start:start + INDEX_BATCH]])
            yield "</ul></section>"
        yield "</section>"

    def _how_to_cite(self) -> str:
        labels, options = self.labels, self.options
        publisher = options.organisation or self.publisher
        subtitle = f". {esc(options.subtitle)}" if options.subtitle else ""
        # A collective work is cited by its title, like a dictionary.
        # From rules 2, the edition as a sentence says it mid-way ("édition du…", "… edition").
        edition = self.edition if self.published.book_rules < 2 else self.labels["edition_cited"].format(date=self.date)
        book = f"<cite>{esc(self.title)}</cite>{subtitle}, {esc(publisher)}, {esc(edition)}."
        parts = [f'<section aria-labelledby="cite-title"><h1 id="cite-title">{esc(labels["how_to_cite"])}</h1>']
        if self.published.terms:
            term = self.published.terms[0]
            headword, lang = term.headword(self.main)
            quoted = typeset(f'"{headword}"', lang if lang == self.main else self.main, convention=self.convention)
            entry = f'<span{self._lang(lang)}>{esc(quoted)}</span>, {self._in(book)}'
            if self.public_site:
                address = self._term_address(term.slug)
                entry += " " + esc(labels["cite_online"]).replace("{site}", esc(address))
            parts.append(f'<p>{esc(labels["cite_intro"])}</p><p class="citation">{entry}</p>')
        parts.append(f'<p>{esc(labels["cite_book"])}</p><p class="citation">{book}</p></section>')
        return "".join(parts)

    def _term_address(self, slug: str) -> str:
        """A term's page on the site, in the book's language (from rules 3; before, always the French one)."""
        if self.published.book_rules < 3:
            return f"{self.public_site}/termes/{slug}/"
        with translation.override(self.main):
            return self.public_site + reverse("lexique:term", kwargs={"slug": slug})

    def _in(self, book: str) -> str:
        return ("dans " if self.main == "fr" else "in ") + book

    def _credits(self) -> str:
        labels, published, options = self.labels, self.published, self.options
        count = labels["contributors_count"].format(authors=published.authors, moderators=published.moderators)
        # From rules 2, the counts only above the names of those who agreed to be named: alone, they read as
        # a list of people with no one in it.
        counted = bool(published.named) or published.book_rules < 2
        parts = [f'<section epub:type="acknowledgments" role="doc-acknowledgments" aria-labelledby="credits-title">'
                 f'<h1 id="credits-title">{esc(labels["contributors_heading"])}</h1>',
                 f'<p>{esc(labels["contributors"])}</p>',
                 *([f'<p>{esc(count)}</p>'] if counted else []),
                 f'<p>{esc(labels["contributors_names"])}</p>',
                 *self._named(),
                 f'<p>{esc(labels["contribute"])}</p>']
        if options.is_custom:
            parts.append(f'<p>{esc(labels["custom_credits"])}</p>')
        parts.append(f'<p>{esc(labels["licence"]).replace("{licence}", self._licence_link())}</p></section>')
        return "".join(parts)

    def _named(self) -> list[str]:
        """The people who agreed to be named (the setting on their account page), by their public names."""
        if not self.published.named:
            return []
        names = "".join(f"<li>{self._t(name, self.main)}</li>" for name in self.published.named)
        return [f'<p>{esc(self.labels["contributors_named"])}</p><ul class="names">{names}</ul>']

    def _colophon(self) -> str:
        labels = self.labels
        texts = labels["colophon_text"]
        if self.run_in:  # "État 112 du lexique" said nothing to a reader
            texts = [*texts[:-1], labels["colophon_version"]]
        texts = [esc(text.format(date=self.date, version=self.published.version)) for text in texts]
        return (f'<section class="colophon" epub:type="colophon" role="doc-colophon" aria-labelledby="colophon-title">'
                f'<h1 id="colophon-title">{esc(labels["colophon"])}</h1>'
                + "".join(f"<p>{text}</p>" for text in texts) + "</section>")

    def _search_key_map(self, source: str = "", terms: Sequence[TermEntry] | None = None) -> Iterator[str]:
        """EPUB Dictionaries and Glossaries: every headword and synonym of `terms` (by default all), in both
        languages, to its entry; a dictionary's (`source`), those of that language only."""
        yield ('<?xml version="1.0" encoding="utf-8"?>\n'
               f'<search-key-map xmlns="http://www.idpf.org/2007/ops" xml:lang="{source or self.main}">')
        languages = {source} if source else set(self.options.languages)
        english = "en" in languages
        # Most terms of a map of French keys have one, their headword, with nothing to typeset or escape.
        french_only, typeset_fr, file_of = not english and source != "en", self._typeset_fr, self.file_of
        terms = self.published.terms if terms is None else terms
        for start in range(0, len(terms), INDEX_BATCH):
            groups = []
            for term in terms[start:start + INDEX_BATCH]:
                if french_only and not term.synonyms and term.id not in typeset_fr:
                    groups.append(f'<search-key-group href="{file_of[term.id]}#t-{term.slug}"><match '
                                  f'value="{term.headword_fr}" xml:lang="fr"/></search-key-group>')
                    continue
                # Every book's map holds the French headword; a dictionary's, only the French one's.
                values: dict[str, str] = {term.headword_fr: "fr"} if term.headword_fr and source != "en" else {}
                if english and term.headword_en:
                    values.setdefault(term.headword_en, "en")
                for synonym in term.synonyms or ():
                    if synonym.get("text") and synonym.get("lang", "fr") in languages:
                        values.setdefault(synonym["text"], self._synonym_lang(term, synonym))
                for value, lang in list(values.items()):
                    if not TRIGGERS.isdisjoint(value) or "..." in value:
                        # As printed, with curly apostrophes.
                        values.setdefault(typeset(value, lang, convention=self.convention), lang)
                if not values:
                    continue  # no English name yet: nothing to look it up by in English
                matches = "".join([f'<match value="{esc(value)}" xml:lang="{lang}"/>'
                                   for value, lang in values.items()])
                groups.append(f'<search-key-group href="{self._href(term)}">{matches}</search-key-group>')
            yield "".join(groups)
        yield "</search-key-map>"
