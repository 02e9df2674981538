"""The lexicon as an EPUB 3 book (ebooklib): valid, accessible, in French, English or both."""
import html
import re
import uuid
from datetime import UTC
from itertools import groupby
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils import formats, timezone, translation
from ebooklib import epub

from .base import Exporter, ExportOptions, PublishedSet, xml_safe
from .cover import cover_jpeg
from .labels import LABELS, LEXICON_NAME

# Bump when the layout of the book changes, so that stored books are made again.
LAYOUT_VERSION = 1
# Long letters are split over several files: small files keep older reading systems responsive.
TERMS_PER_FILE = 300
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
STYLESHEET = """\
body { font-family: serif; line-height: 1.45; margin: 0 0.5em; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; page-break-after: avoid; break-after: avoid; }
h1 { font-size: 1.6em; margin: 1em 0 0.8em; }
h2 { font-size: 1.2em; margin: 1.6em 0 0.2em; }
p, li, dd, dt, h1, h2, h3 { overflow-wrap: break-word; word-wrap: break-word; }
dfn { font-style: normal; }
.category { font-style: italic; margin: 0 0 0.4em; }
.definition p { margin: 0.3em 0; }
.en { border-left: 0.2em solid #555; padding-left: 0.6em; margin: 0.5em 0; }
.headword-en { font-weight: bold; margin: 0.2em 0; }
.details { margin: 0.5em 0 0; }
.details dt { font-weight: bold; font-size: 0.9em; margin-top: 0.3em; }
.details dd { margin: 0 0 0 1em; }
.details dd p { margin: 0.15em 0; }
.details ul { margin: 0; padding-left: 1.2em; }
.titlepage { text-align: center; margin-top: 20%; }
.titlepage .title { font-size: 2em; }
.subtitle { font-size: 1.25em; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-width: 100%; max-height: 95vh; }
.index ul { list-style: none; padding-left: 0; }
"""


_HREF = re.compile(r'href="([^"]*)"')
# What may stay as it is in a URL (RFC 3986 reserved and unreserved characters, and escapes).
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def url(address: str) -> str:
    """A URL as EPUBCheck wants it: what a URL may not hold percent-encoded (a source address pasted
    with "<" or spaces passes Django's validator, not EPUBCheck's), then escaped for an attribute."""
    return esc(quote(address or "", safe=_URL_SAFE))


def _encoded_href(match):
    return f'href="{url(html.unescape(match.group(1)))}"'


def valid_urls(fragment: str) -> str:
    """The same for the links of contributed HTML (a definition's Markdown links)."""
    return _HREF.sub(_encoded_href, fragment) if "href=" in fragment else fragment


def esc(text) -> str:
    return html.escape(str(text or ""), quote=True)


def lang_attr(lang: str) -> str:
    """Both attributes: `lang` for HTML readers, `xml:lang` for XML ones (EPUB is XHTML)."""
    return f' lang="{lang}" xml:lang="{lang}"'


def book_identifier(options: ExportOptions) -> str:
    """The same URN for the same variant, edition after edition (a new version is a new edition, not a new book)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/export/epub#{options.digest()}"))


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class _Writer(epub.EpubWriter):
    """ebooklib's writer, with the language on the package document too (Ace checks it there)."""

    def _write_opf_file(self, root):
        root.set(f"{{{epub.NAMESPACES['XML']}}}lang", self.book.language)
        super()._write_opf_file(root)


def write_book(path, book, options):
    """What ebooklib's write_epub does, with our writer; errors are raised, never swallowed."""
    writer = _Writer(str(path), book, options)
    writer.process()
    writer.write()


class EpubExporter(Exporter):
    """Writes the published set as an EPUB 3 book with ebooklib."""

    extension = "epub"
    media_type = "application/epub+zip"

    def write(self, path) -> PublishedSet:
        published = self.snapshot()
        book, write_options = self.build(published)
        write_book(path, book, write_options)
        return published

    def build(self, published: PublishedSet):
        """The ebooklib book and the options to write it with (the benchmark times the writing alone)."""
        return _BookBuilder(self.options, published).build()


class _BookBuilder:
    def __init__(self, options: ExportOptions, published: PublishedSet):
        self.options = options
        self.published = published
        self.main = options.main_language
        self.labels = LABELS[self.main]
        self.book = epub.EpubBook()
        self.style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=STYLESHEET)
        self.site = settings.SITE_URL.rstrip("/")
        with translation.override(self.main):
            self.date = formats.date_format(timezone.localdate(published.taken_at), "j F Y")
        self.edition = self.labels["edition"].format(date=self.date)
        self.title = options.title or LEXICON_NAME[self.main]
        self._plan_files()
        self._links = {}
        # Escaped once, not once per entry.
        self.text = {key: esc(value) for key, value in self.labels.items() if isinstance(value, str)}
        self._terms_by_id = {term.id: term for term in published.terms}
        self._domain_links = {
            domain.id: f'<a href="index.xhtml#d-{domain.slug}">{esc(domain.name(self.main))}</a>'
            for domain in published.domains
        }

    # -- plan ---------------------------------------------------------------------------------
    def _plan_files(self):
        """Letters -> files, and term id -> file, so that related terms can link to their entries."""
        self.letters = []  # (letter, [(file_name, [terms])])
        self.file_of = {}
        for letter, group in groupby(self.published.terms, key=lambda term: term.initial):
            terms = list(group)
            stem = "symboles" if letter == "#" else f"lettre-{letter.lower()}"
            chunks = []
            for number, start in enumerate(range(0, len(terms), TERMS_PER_FILE), start=1):
                name = f"{stem}.xhtml" if number == 1 else f"{stem}-{number}.xhtml"
                chunk = terms[start:start + TERMS_PER_FILE]
                chunks.append((name, chunk))
                for term in chunk:
                    self.file_of[term.id] = name
            self.letters.append((letter, chunks))

    # -- book ---------------------------------------------------------------------------------
    def build(self):
        book = self.book
        self._metadata()
        book.add_item(self.style)
        book.set_cover("couverture.jpg", self._cover_image(), create_page=False)

        cover = self._document("cover", "couverture.xhtml", self.labels["cover"], self._cover_page())
        title_page = self._document("titlepage", "titre.xhtml", self.labels["title_page"], self._title_page())
        about = self._document("about", "a-propos.xhtml", self.labels["about"], self._about_page())
        nav = epub.EpubNav(title=self.labels["contents"])
        nav.add_item(self.style)
        book.add_item(nav)
        book.add_item(epub.EpubNcx())

        toc, spine = [], [cover, title_page, about, nav]
        toc += [epub.Link(title_page.file_name, self.labels["title_page"], "titlepage"),
                epub.Link(about.file_name, self.labels["about"], "about")]
        first_letter = None
        for letter, chunks in self.letters:
            for number, (name, terms) in enumerate(chunks, start=1):
                document = self._document(
                    f"letter-{name[:-6]}", name, self._letter_name(letter, number), self._letter_page(letter, number, terms)
                )
                spine.append(document)
                first_letter = first_letter or document
            toc.append(epub.Link(chunks[0][0], self._letter_name(letter, 1), f"toc-{chunks[0][0][:-6]}"))
        if not self.letters:
            empty = self._document("empty", "termes.xhtml", self.labels["contents"],
                                   f'<h1>{esc(self.labels["contents"])}</h1><p>{esc(self.labels["empty"])}</p>')
            spine.append(empty)
            first_letter = empty
        index = self._document("index", "index.xhtml", self.labels["index"], self._index_page())
        spine.append(index)
        toc.append(epub.Link(index.file_name, self.labels["index"], "toc-index"))

        book.toc = toc
        book.spine = spine
        book.guide = [
            {"type": "cover", "href": cover.file_name, "title": self.labels["cover"]},
            {"type": "toc", "href": nav.file_name, "title": self.labels["contents"]},
            {"type": "text", "href": first_letter.file_name, "title": self.labels["contents"]},
            {"type": "index", "href": index.file_name, "title": self.labels["index"]},
        ]
        write_options = {
            "epub3_pages": False,  # no print edition, so no page list (and no second parse of every page)
            "raise_exceptions": True,
            "landmark_title": self.labels["landmarks"],
            "mtime": self.published.taken_at.astimezone(UTC),
        }
        return book, write_options

    def _document(self, uid, file_name, title, body):
        document = epub.EpubHtml(uid=uid, file_name=file_name, title=title, lang=self.main,
                                 content=xml_safe(body))
        document.add_item(self.style)
        self.book.add_item(document)
        return document

    def _metadata(self):
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
        book.language = self.main
        book.add_metadata("DC", "creator", LEXICON_NAME[self.main], {"id": "creator"})
        book.add_metadata("DC", "publisher", LEXICON_NAME[self.main])
        book.add_metadata("DC", "date", self.published.taken_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        book.add_metadata("DC", "rights", f"{settings.LEXIQUE_CONTENT_LICENCE} ({settings.LEXIQUE_CONTENT_LICENCE_URL})")
        book.add_metadata("DC", "description", labels["description"])
        book.add_metadata("DC", "source", self.site)
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
            ("a11y:certifiedBy", LEXICON_NAME[self.main]),
        ]
        for prop, value in meta:
            book.add_metadata(None, "meta", value, {"property": prop})

    def _domains_in_book(self):
        present = {domain.id for term in self.published.terms for domain in term.domains}
        return [domain for domain in self.published.domains if domain.id in present]

    # -- pages --------------------------------------------------------------------------------
    def _cover_image(self):
        credit = LABELS[self.main]["based_on"].format(name=LEXICON_NAME[self.main]) if self.options.title else (
            urlsplit(self.site).netloc or self.site)
        return cover_jpeg(title=self.title, subtitle=self.options.subtitle, edition=self.edition, credit=credit)

    def _cover_alt(self):
        subtitle = f" — {self.options.subtitle}" if self.options.subtitle else ""
        return self.labels["cover_alt"].format(title=self.title, subtitle=subtitle, edition=self.edition)

    def _cover_page(self):
        return (f'<section class="cover"><img src="couverture.jpg" role="doc-cover" '
                f'alt="{esc(self._cover_alt())}"/></section>')

    def _title_page(self):
        parts = ['<section class="titlepage">', f'<h1 class="title">{esc(self.title)}</h1>']
        if self.options.subtitle:
            parts.append(f'<p class="subtitle">{esc(self.options.subtitle)}</p>')
        if self.options.title:
            parts.append(f'<p>{esc(self.labels["based_on"].format(name=LEXICON_NAME[self.main]))}</p>')
        parts.append(f'<p>{esc(self.edition)}</p></section>')
        return "".join(parts)

    def _about_page(self):
        labels, published = self.labels, self.published
        name = LEXICON_NAME[self.main]
        site = f'<a href="{esc(self.site)}">{esc(self.site)}</a>'
        licence = f'<a href="{esc(settings.LEXIQUE_CONTENT_LICENCE_URL)}">{esc(settings.LEXIQUE_CONTENT_LICENCE)}</a>'
        domains = ", ".join(domain.name(self.main) for domain in published.selected_domains) or labels["all_domains"]
        rows = [
            (labels["terms_count"], esc(len(published.terms))),
            (labels["domains"], esc(domains)),
            (labels["language"], esc(labels["languages"][self.options.lang])),
            (labels["export_date"], esc(self.date)),
            (labels["version"], esc(published.version)),
            (labels["site"], site),
            (labels["identifier"], esc(book_identifier(self.options))),
        ]
        parts = [
            f'<section class="about" aria-labelledby="about-title"><h1 id="about-title">{esc(labels["about"])}</h1>',
            f'<p>{esc(labels["about_lexicon"].format(name=name))}</p>',
        ]
        if self.options.title:
            parts.append(f'<p>{esc(labels["custom_title"].format(title=self.options.title))}</p>')
        parts += [
            f'<h2>{esc(labels["contribute_heading"])}</h2>',
            f'<p>{esc(labels["contribute"]).replace("{site}", site)}</p>',
            f'<h2>{esc(labels["licence_heading"])}</h2>',
            f'<p>{esc(labels["licence"]).replace("{licence}", licence)}</p>',
            f'<h2>{esc(labels["this_edition"])}</h2><dl class="details">',
        ]
        parts += [f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows]
        parts.append("</dl></section>")
        return "".join(parts)

    def _letter_name(self, letter, number):
        name = self.labels["symbols"] if letter == "#" else letter
        return name if number == 1 else self.labels["continued"].format(letter=name)

    def _letter_page(self, letter, number, terms):
        heading_id = f"lettre-{'0' if letter == '#' else letter.lower()}-{number}"
        parts = [f'<section class="letter" aria-labelledby="{heading_id}">',
                 f'<h1 id="{heading_id}">{esc(self._letter_name(letter, number))}</h1>']
        parts += [self._entry(term) for term in terms]
        parts.append("</section>")
        return "".join(parts)

    def _index_page(self):
        labels = self.labels
        parts = [
            '<section class="index" aria-labelledby="index-title">',
            f'<h1 id="index-title">{esc(labels["index"])}</h1><p>{esc(labels["index_intro"])}</p>',
        ]
        members = {}
        for term in self.published.terms:
            for domain in term.domains:
                members.setdefault(domain.id, []).append(term)
        for domain in self.published.domains:
            terms = members.get(domain.id)
            if not terms:
                continue
            heading = esc(domain.name(self.main))
            if self.options.lang == "bilingual" and domain.name_en:
                heading += f' / <span{lang_attr("en")}>{esc(domain.name_en)}</span>'
            parts.append(f'<section aria-labelledby="d-{domain.slug}"><h2 id="d-{domain.slug}">{heading}</h2><ul>')
            parts += [f"<li>{self._link(term)}</li>" for term in terms]
            parts.append("</ul></section>")
        parts.append("</section>")
        return "".join(parts)

    # -- entries ------------------------------------------------------------------------------
    def _link(self, term):
        """A link to a term's entry; made once per term, however many entries point to it."""
        link = self._links.get(term.id)
        if link is None:
            headword, lang = term.headword(self.main)
            extra = lang_attr(lang) if lang != self.main else ""
            link = self._links[term.id] = f'<a href="{self.file_of[term.id]}#t-{term.slug}"{extra}>{esc(headword)}</a>'
        return link

    def _related_link(self, pk):
        if pk in self.file_of:
            return self._link(self._terms_by_id[pk])
        row = self.published.outside[pk]
        headword, lang = (row["headword_en"], "en") if self.main == "en" and row["headword_en"] else (row["headword_fr"], "fr")
        extra = lang_attr(lang) if lang != self.main else ""
        address = f"{self.site}/termes/{row['slug']}/"
        return f'<a href="{url(address)}"{extra}>{esc(headword)}</a> ({esc(self.labels["on_site"])})'

    def _entry(self, term):
        main = self.main
        headword, lang = term.headword(main)
        extra = lang_attr(lang) if lang != main else ""
        parts = [f'<article class="entry" id="t-{term.slug}" aria-labelledby="h-{term.slug}">',
                 f'<h2 id="h-{term.slug}"{extra}><dfn>{esc(headword)}</dfn></h2>']
        if main == "en" and term.headword_en:
            # The category describes the French headword (n. f. is "nom féminin"), so it goes with it.
            category = f', <span class="category">{esc(term.category)}</span>' if term.category else ""
            parts.append(f'<p>{self.text["french_term"]}: <span{lang_attr("fr")}>{esc(term.headword_fr)}'
                         f'{category}</span></p>')
        elif term.category:
            extra = lang_attr("fr") if main != "fr" else ""
            parts.append(f'<p class="category"{extra}>{esc(term.category)}</p>')
        definition, lang = term.text("definition_html", main)
        extra = lang_attr(lang) if lang != main else ""
        parts.append(f'<div class="definition"{extra}>{valid_urls(definition)}</div>')
        if self.options.lang == "bilingual" and (term.headword_en or term.definition_html_en):
            parts.append(f'<div class="en"{lang_attr("en")}>')
            if term.headword_en:
                parts.append(f'<p class="headword-en">{esc(term.headword_en)}</p>')
            if term.definition_html_en:
                parts.append(f'<div class="definition">{valid_urls(term.definition_html_en)}</div>')
            parts.append("</div>")
        details = self._details(term)
        if details:
            parts.append(f'<dl class="details">{details}</dl>')
        parts.append("</article>")
        return "".join(parts)

    def _texts(self, term, name):
        """Examples or notes, in each language of the book, each paragraph marked with its language."""
        out = []
        for lang in self.options.languages:
            value = getattr(term, f"{name}_{lang}")
            if not value:
                continue
            extra = lang_attr(lang) if lang != self.main else ""
            out += [f"<p{extra}>{esc(line)}</p>" for line in paragraphs(value)]
        return "".join(out)

    def _details(self, term):
        labels, main = self.labels, self.main
        parts = []
        synonyms = [s for s in term.synonyms or [] if s.get("lang", "fr") in self.options.languages]
        if synonyms:
            items = []
            for synonym in synonyms:
                lang = synonym.get("lang", "fr")
                extra = lang_attr(lang) if lang != main else ""
                status = labels["status"].get(synonym.get("status"), "")
                items.append(f'<span{extra}>{esc(synonym.get("text"))}</span>' + (f" ({esc(status)})" if status else ""))
            parts.append(f'<dt>{self.text["synonyms"]}</dt><dd>{", ".join(items)}</dd>')
        for name in ("examples", "notes"):
            texts = self._texts(term, name)
            if texts:
                parts.append(f"<dt>{self.text[name]}</dt><dd>{texts}</dd>")
        if term.domains:
            links = ", ".join(self._domain_links[domain.id] for domain in term.domains)
            parts.append(f'<dt>{self.text["domains"]}</dt><dd>{links}</dd>')
        if term.related:
            links = ", ".join(self._related_link(pk) for pk in term.related)
            parts.append(f'<dt>{self.text["related"]}</dt><dd>{links}</dd>')
        if term.sources:
            items = "".join(
                f'<li><a href="{url(source.get("url"))}">{esc(source.get("title") or source.get("url"))}</a></li>'
                for source in term.sources
            )
            parts.append(f'<dt>{self.text["sources"]}</dt><dd><ul>{items}</ul></dd>')
        return "".join(parts)
