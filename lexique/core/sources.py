"""The shape of a source: what it may hold, its cleaning, its citation in words, and its line of text.

A source is a JSON object of a revision's `sources` list. It has a title and, optionally, an author, a year,
a publisher, a page (or pages), a standard's number ("ISO 1087:2019"), an address (http or https) and the
language of the definition it supports (`definition`: "fr" or "en"; absent, it supports the term as a whole).
A source stored before these keys existed ({"title", "url"}) is one of them as it is.

Every writer meets these rules through `clean_source`; every page, book and file cites a source through
`citation_text` / `citation_html`; the formats that keep a source as one line of text (the propose form, the
CSV and XLSX cell, a TBX note) write it with `source_line` and read it back with `parse_source_line`, exactly.
"""
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lexique.core.inputs import clean_source_url, clean_text
from lexique.core.text import normalize

# Every key a source may hold, in the order a citation and a line give them.
KEYS = ("title", "author", "year", "publisher", "pages", "standard", "url", "definition")
# The keys besides the title and the address: what the old shape did not have.
DETAIL_KEYS = ("author", "year", "publisher", "pages", "standard")
MAX_LENGTHS = {"title": 300, "author": 300, "year": 20, "publisher": 200, "pages": 40, "standard": 100}
DEFINITION_LANGUAGES = ("fr", "en")
LABELS = {
    "title": gettext_lazy("titre"), "author": gettext_lazy("auteur"), "year": gettext_lazy("année"),
    "publisher": gettext_lazy("éditeur"), "pages": gettext_lazy("pages"), "standard": gettext_lazy("norme"),
    "url": gettext_lazy("adresse"), "definition": gettext_lazy("définition"),
}
# The words a line may name a part by, in either language (accents and case ignored).
_LINE_KEYS = {
    "auteur": "author", "auteurs": "author", "author": "author", "authors": "author",
    "annee": "year", "year": "year", "date": "year",
    "editeur": "publisher", "edition": "publisher", "publisher": "publisher",
    "page": "pages", "pages": "pages", "p.": "pages", "pp.": "pages",
    "norme": "standard", "standard": "standard",
    "adresse": "url", "url": "url", "address": "url",
    "definition": "definition",
}
# The keys a file writes, in English whatever the reader's language (a line of the form uses the reader's).
_FILE_KEYS = {"author": "author", "year": "year", "publisher": "publisher", "pages": "pages",
              "standard": "standard", "url": "url", "definition": "definition"}
_LAYOUT = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_YEAR = re.compile(r"[0-9]{1,4}")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# The old line: "title <address>" (the CSV's cell before sources had details).
_OLD_LINE = re.compile(r"^(?:(?P<title>.*?)\s*)?<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^<>]*)>$")
_SEPARATOR = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_KEYED = re.compile(r"^(?P<key>[^:]{1,12}?)\s*:\s*(?P<value>.*)$", re.S)
_DEFINITION_WORDS = {"fr": "fr", "francais": "fr", "french": "fr", "en": "en", "anglais": "en", "english": "en"}
_RANGE = re.compile(r"[-–—,]")


def _one_line(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("« %(key)s » doit être du texte.") % {"key": LABELS[key]}, code="invalid")
    text = clean_text(_LAYOUT.sub(" ", value), one_line=True)
    limit = MAX_LENGTHS[key]
    if len(text) > limit:
        raise ValidationError(
            _("« %(key)s » tient en %(count)d caractères au plus (il y en a %(actual)d).")
            % {"key": LABELS[key], "count": limit, "actual": len(text)}, code="too_long")
    return text


def clean_source(item: Any) -> dict[str, str]:
    """One source normalised (keys in their order, empty ones left out), or ValidationError in French.

    A source without a title takes its standard's number, else its address, as title (the old rule)."""
    if not isinstance(item, Mapping):
        raise ValidationError(_("Chaque source est un objet avec au moins un titre."), code="invalid")
    unknown = sorted(str(key) for key in item if key not in KEYS)
    if unknown:
        raise ValidationError(_("Clés inconnues : %(keys)s.") % {"keys": ", ".join(unknown)}, code="invalid")
    source: dict[str, str] = {}
    for key in ("title", *DETAIL_KEYS):
        value = item.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and key == "year":
            value = str(value)
        text = _one_line(value, key) if value is not None else ""
        if text:
            source[key] = text
    if "year" in source and not _YEAR.fullmatch(source["year"]):
        raise ValidationError(_("L'année s'écrit en chiffres (par exemple 2019) : %(year)s")
                              % {"year": source["year"][:20]}, code="year")
    url = item.get("url")
    if url is not None and not isinstance(url, str):
        raise ValidationError(_("L'adresse doit être du texte."), code="invalid")
    if url and url.strip():
        source["url"] = clean_source_url(url)
    definition = item.get("definition")
    if definition not in (None, ""):
        if definition not in DEFINITION_LANGUAGES:
            raise ValidationError(_("La définition appuyée est « fr » ou « en » (ou aucune, pour tout le "
                                    "terme) : %(value)s") % {"value": str(definition)[:20]}, code="definition")
        source["definition"] = definition
    if "title" not in source:
        fallback = source.get("standard") or source.get("url")
        if not fallback:
            raise ValidationError(_("Chaque source a un titre (ou, à défaut, un numéro de norme ou une adresse)."),
                                  code="required")
        source["title"] = fallback
    return {key: source[key] for key in KEYS if key in source}


def has_details(source: Mapping[str, Any]) -> bool:
    """Whether `source` says more than the old shape could (a title and an address for the whole term)."""
    return any(source.get(key) for key in (*DETAIL_KEYS, "definition")) or not source.get("url")


def supports(source: Mapping[str, Any], lang: str | None) -> bool:
    """Whether `source` supports the definition in `lang` (None: the term as a whole)."""
    return (source.get("definition") or None) == lang


def _pages(pages: str, lang: str) -> str:
    if lang == "en" and _RANGE.search(pages):
        return f"pp. {pages}"
    return f"p. {pages}"


def citation_parts(source: Mapping[str, Any], lang: str) -> tuple[str, str, str]:
    """(what comes before the title, the title, what follows it) of a source's citation in `lang`."""
    before = f"{source['author']}, " if source.get("author") else ""
    after = [str(source[key]) for key in ("standard", "publisher", "year") if source.get(key)]
    if source.get("standard") and source.get("standard") == source.get("title"):
        after.remove(str(source["standard"]))
    if source.get("pages"):
        after.append(_pages(str(source["pages"]), lang))
    return before, str(source.get("title") or source.get("url") or ""), "".join(f", {part}" for part in after)


def citation_text(source: Mapping[str, Any], lang: str) -> str:
    """A source cited in words, in `lang`: "Author, Title, ISO 1087:2019, Publisher, 2019, p. 12"."""
    before, title, after = citation_parts(source, lang)
    return before + title + after


def citation_html(source: Mapping[str, Any], lang: str, *, rel: str | None = "nofollow noopener",
                  address: Callable[[str], str] | None = None, typeset: Callable[[str], str] | None = None,
                  with_definition: bool = False) -> SafeString:
    """A source cited in `lang` as HTML: the title in <cite>, a link to the address when it has one (http(s)).

    `address` rewrites the link (an e-book's rules for URLs), `typeset` the title (its typography);
    `with_definition` adds the definition it supports, for lists that are not beside that definition."""
    before, title, after = citation_parts(source, lang)
    url = str(source.get("url") or "")
    shown = typeset(title) if typeset else title
    if url.startswith(("https://", "http://")):
        href = address(url) if address else url
        cited = (format_html('<cite><a href="{}" rel="{}">{}</a></cite>', href, rel, shown) if rel
                 else format_html('<cite><a href="{}">{}</a></cite>', href, shown))
    else:
        cited = format_html("<cite>{}</cite>", shown)
    supported = ""
    if with_definition and source.get("definition") in DEFINITION_LABELS:
        supported = f" ({DEFINITION_LABELS[source['definition']][lang if lang in DEFINITION_LANGUAGES else 'fr']})"
    return mark_safe(  # noqa: S308 -- every part is escaped by format_html
        format_html("{}", before) + cited + format_html("{}{}", after, supported))


# What a source supports, in each reader's language (e-books and files are read in theirs, not the site's).
DEFINITION_LABELS = {
    "fr": {"fr": "définition française", "en": "French definition"},
    "en": {"fr": "définition anglaise", "en": "English definition"},
}


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def _unescaped(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def source_line(source: Mapping[str, Any], *, lang: str | None = None) -> str:
    """A source as one line of text: "title <address>" when that is all it says (the old cell), else
    "title | author: … | year: … | … | address" with "|" and "\\" escaped. The keys are English in files
    (`lang` None) and in the reader's language in the propose form; `parse_source_line` reads both."""
    title, url = str(source.get("title") or ""), str(source.get("url") or "")
    if not has_details(source) and title and "|" not in title and not title.endswith(">"):
        return f"{title} <{url}>"
    parts = [_escaped(title)]
    for key in (*DETAIL_KEYS, "definition"):
        if source.get(key):
            name = _FILE_KEYS[key] if lang is None else str(LABELS[key])
            colon = " : " if lang == "fr" else ": "  # French typography in the French form
            parts.append(f"{name}{colon}{_escaped(str(source[key]))}")
    if url:
        parts.append(_escaped(url))
    line = " | ".join(parts)
    if len(parts) == 1 and (_OLD_LINE.match(line) or _SCHEME.match(line) or _KEYED.match(line)):
        line += " |"  # a title alone that would read as an address or an old line
    return line


def parse_source_line(line: str) -> dict[str, str]:
    """The inverse of `source_line` (and what a person types in the form): the parts of a line, not cleaned.

    The first part is the title; a part "key: value" names a detail (French or English words); the first other
    part that starts with an address's scheme is the address, to the end of the line (an address may hold "|")."""
    line = line.strip()
    old = _OLD_LINE.match(line)
    if old and not _SEPARATOR.search(line):
        return {"title": (old["title"] or "").strip(), "url": old["url"].strip()}
    pieces = _SEPARATOR.split(line)
    # split() with one group returns text, escapes, text…: put the even backslashes back on their text.
    parts = [pieces[0]]
    for index in range(1, len(pieces), 2):
        parts[-1] += pieces[index]
        parts.append(pieces[index + 1])
    source: dict[str, str] = {}
    title = parts[0].strip()
    if _SCHEME.match(title) and len(parts) == 1:
        return {"url": _unescaped(title)}
    source["title"] = _unescaped(title)
    for index, part in enumerate(parts[1:], start=1):
        text = part.strip()
        if not text:
            continue
        if _SCHEME.match(text):
            source["url"] = _unescaped("|".join(parts[index:]).strip())
            break
        keyed = _KEYED.match(text)
        key = _LINE_KEYS.get(normalize(keyed["key"]).strip()) if keyed else None
        if keyed and key:
            value = _unescaped(keyed["value"].strip())
            source[key] = _DEFINITION_WORDS.get(normalize(value), value) if key == "definition" else value
        elif key is None and _STANDARD.match(text):
            source["standard"] = _unescaped(text)
        elif key is None and keyed is None and (pages := _PAGES_ONLY.fullmatch(text)):
            source["pages"] = _unescaped(pages["pages"])
        else:
            source.setdefault("unknown", text)
    return source


# "p. 12" or "pp. 12-15" alone, as people write a page; "ISO 1087:2019" alone, as people write a standard.
_PAGES_ONLY = re.compile(r"pp?\.\s*(?P<pages>\S.*)")
_STANDARD = re.compile(r"(ISO|IEC|ISO/IEC|NF|EN|CSA|CAN/CSA|BNQ|DIN|BS|ANSI|ASTM|IEEE|UNE|SN|NBN)[ /]", re.I)


def line_error(source: Mapping[str, str]) -> str | None:
    """What a parsed line holds that no source may, for the form to say (None when nothing)."""
    if "unknown" in source:
        return _("« %(part)s » n'est ni une adresse ni une précision connue (auteur, année, éditeur, pages, norme, "
                 "définition).") % {"part": source["unknown"][:100]}
    return None


# --- Bibliographic formats -----------------------------------------------------------------------

def csl_item(source: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A source as one CSL-JSON item (Zotero, Pandoc): a standard, a book or a web page."""
    kind = "standard" if source.get("standard") else "book" if source.get("publisher") else \
        "webpage" if source.get("url") and not source.get("year") else "document"
    item: dict[str, Any] = {"id": key, "type": kind, "title": source.get("title", "")}
    if source.get("author"):
        item["author"] = [{"literal": source["author"]}]
    if source.get("year"):
        item["issued"] = {"date-parts": [[int(source["year"])]]}
    for name, csl in (("publisher", "publisher"), ("pages", "page"), ("standard", "number"), ("url", "URL")):
        if source.get(name):
            item[csl] = source[name]
    return item


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&#$_^~])")


def bibtex_value(text: str) -> str:
    """A text as BibTeX reads it back as typed."""
    return _BIBTEX_SPECIAL.sub(lambda match: {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(
        match.group(1), "\\" + match.group(1)), " ".join(str(text).split()))


def bibtex_entry(source: Mapping[str, Any], key: str) -> str:
    """A source as one BibTeX entry: @standard (biblatex), @book or @misc."""
    kind = "standard" if source.get("standard") else "book" if source.get("publisher") else "misc"
    fields = [("title", bibtex_value(source.get("title", "")))]
    if source.get("author"):
        fields.append(("author", "{" + bibtex_value(source["author"]) + "}"))
    for name, bib in (("standard", "number"), ("publisher", "publisher"), ("year", "year"), ("pages", "pages")):
        if source.get(name):
            fields.append((bib, bibtex_value(source[name])))
    if source.get("url"):
        fields.append(("url", str(source["url"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"
