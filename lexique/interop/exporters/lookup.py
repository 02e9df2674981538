"""Look-up dictionaries for reading apps: the published set as StarDict (KOReader, GoldenDict) and as Kobo's
dicthtml, French→English and English→French, written by pyglossary.

A reader long-presses a word in a book and the app looks it up among the keys of its dictionaries: here each
term's headword in the dictionary's source language and every synonym in that language (the lexicon's
abbreviations, "GRC", "IA", "CRM", are synonyms with their usage status), each with a typographic apostrophe
as books print it too. The entry shown gives the part of speech, the equivalent in the other language, the
definition in that language (the source language's when it has none), the source language's synonyms with
their status, the domains and the related terms, labelled in the target language: the reader of a
French→English dictionary reads French and understands English.

Both files are zip archives whose entries carry the date of the published set, and whatever pyglossary
writes with a clock (the gzip headers of Kobo's pages) is written again without one: the same published set,
or the same edition, gives the same bytes.
"""
import gzip
import html
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext_lazy

from lexique.core.grammar import headword_grammar
from lexique.core.sources import citation_parts
from lexique.interop.exporters.base import Exporter
from lexique.interop.exporters.labels import LABELS_BY_CONVENTION
from lexique.interop.exporters.typography import typeset, typeset_html
from lexique.interop.exporters.ziptimes import ZIP_DEFLATED, FixedTimeZipFile, zip_date
from lexique.interop.frozen import read_edition
from lexique.interop.published import PublishedSet, TermEntry, xml_safe

# The language each dictionary is looked up in, by the word of its addresses; it is translated into the other.
DIRECTIONS = {"fr-en": "fr", "en-fr": "en"}
OTHER = {"fr": "en", "en": "fr"}
# What the downloads page calls each direction.
DIRECTION_LABELS = {"fr": gettext_lazy("français-anglais"), "en": gettext_lazy("anglais-français")}
# Language names as pyglossary knows them (they become the dictionary's declared languages).
LANGUAGE_NAMES = {"fr": "French", "en": "English"}
APOSTROPHES = ("'", "\u2019")


@dataclass(frozen=True)
class LookupEntry:
    """One article of a look-up dictionary: the keys it is found by (its headword first), and its HTML."""

    keys: tuple[str, ...]
    html: str


def _keys(words: list[str]) -> tuple[str, ...]:
    """The words a reader may meet, each also with the other apostrophe (books print ’, people type '),
    without repeats, in order."""
    keys: dict[str, None] = {}
    for word in words:
        word = " ".join(xml_safe(word).split())
        if not word:
            continue
        keys[word] = None
        for straight, curly in (APOSTROPHES, APOSTROPHES[::-1]):
            if straight in word:
                keys[word.replace(straight, curly)] = None
    return tuple(keys)


def _synonyms(term: TermEntry, lang: str) -> list[dict[str, Any]]:
    return [synonym for synonym in term.synonyms if synonym.get("lang") == lang and synonym.get("text")]


def _esc(text: str, lang: str, convention: str) -> str:
    return html.escape(typeset(xml_safe(text), lang, convention=convention), quote=False)


def _lead(label: str, lang: str, convention: str) -> str:
    """A label before a colon, spaced as `lang` prints it by `convention`."""
    return html.escape(typeset(f"{label}:", lang, convention=convention), quote=False)


def lookup_entries(published: PublishedSet, source: str) -> Iterator[LookupEntry]:
    """The articles of the dictionary looked up in `source` ("fr" or "en"), in the published set's order.

    A term with neither headword nor synonym in `source` (no English name yet) has no article in it.
    """
    target = OTHER[source]
    convention = published.typography
    labels = LABELS_BY_CONVENTION[convention][target]
    # Related terms are named only when this dictionary holds them: a reader looks them up in it.
    names = {term.id: term.headword(source)[0] for term in published.terms}
    cited = published.book_rules >= 6
    for term in published.terms:
        headword = term.headword_en if source == "en" else term.headword_fr
        keys = _keys([headword, *(synonym["text"] for synonym in _synonyms(term, source))])
        if keys:
            yield LookupEntry(keys=keys, html=_article(term, source, target, labels, names, convention, cited=cited))


def _citation(source: dict[str, Any], lang: str, convention: str) -> str:
    """A source cited in `lang`, its title in italics, a link to its address when it has one."""
    before, title, after = citation_parts(source, lang)
    url = str(source.get("url") or "")
    shown = _esc(title, lang, convention)
    if url.startswith(("https://", "http://")):
        shown = f'<a href="{html.escape(xml_safe(url))}">{shown}</a>'
    return f"{_esc(before, lang, convention)}<i>{shown}</i>{_esc(after, lang, convention)}"


def _article(term: TermEntry, source: str, target: str, labels: dict[str, Any], names: dict[int, str],
             convention: str, *, cited: bool = False) -> str:
    parts = []
    equivalent = term.headword_en if target == "en" else term.headword_fr
    label = headword_grammar(term, "fr")
    line = f"<i>{html.escape(label)}</i> " if label else ""
    if equivalent:
        others = [synonym["text"] for synonym in _synonyms(term, target) if synonym.get("status") != "not_recommended"]
        named = ", ".join(_esc(word, target, convention) for word in [equivalent, *others])
        line += f'→ <b lang="{target}">{named}</b>'
    if line:
        parts.append(f"<p>{line.strip()}</p>")
    definition, definition_lang = term.text("definition_html", target)
    if definition:
        parts.append(f'<div lang="{definition_lang}">{typeset_html(definition, definition_lang, convention)}</div>')
    synonyms = _synonyms(term, source)
    if synonyms:
        listed = "; ".join(
            f'<span lang="{source}">{_esc(synonym["text"], source, convention)}</span>'
            + (f' <i>({labels["status"][synonym["status"]]})</i>' if synonym.get("status") in labels["status"] else "")
            for synonym in synonyms
        )
        parts.append(f"<p>{_lead(labels['synonyms'], target, convention)} {listed}</p>")
    if term.domains:
        domains = ", ".join(_esc(domain.name(target), target, convention) for domain in term.domains)
        parts.append(f"<p>{_lead(labels['domains'], target, convention)} {domains}</p>")
    related = [names[pk] for pk in term.related if pk in names]
    if related:
        links = ", ".join(f'<span lang="{source}">{_esc(name, source, convention)}</span>' for name in related)
        parts.append(f"<p>{_lead(labels['related'], target, convention)} → {links}</p>")
    if cited and term.sources:
        # What a definition or the term rests on (rules 6), cited in the language the reader reads.
        sources = "; ".join(_citation(item, target, convention) for item in term.sources)
        parts.append(f"<p>{_lead(labels['sources'], target, convention)} {sources}</p>")
    return "".join(parts)


def _glossary_class() -> Any:
    """pyglossary's Glossary, its plugins loaded once per process."""
    # pyglossary is loaded where it is used: its plugins are of no use to the rest of the site.
    from pyglossary import glossary_v2, plugin_handler  # noqa: PLC0415

    glossary_class = glossary_v2.Glossary
    if not glossary_class.plugins:
        # It makes a cache folder under HOME when it loads them, and the site's user may have no home (the
        # Docker image's has none): a folder of the temporary directory instead. Nothing is kept there.
        cache = os.path.join(tempfile.gettempdir(), "lexique-pyglossary")
        plugin_handler.cacheDir = glossary_v2.cacheDir = cache
        glossary_class.init()
        # It tells every step of its work at INFO; the site logs only what goes wrong. (Its logger is its own
        # class, made when it is first imported: never before.)
        logging.getLogger("pyglossary").setLevel(logging.WARNING)
    return glossary_class


class LookupExporter(Exporter):
    """A look-up dictionary of the published set in one direction; subclasses say which file format."""

    variants = DIRECTIONS
    reads_both_languages = True
    media_type = "application/zip"
    extension = "zip"
    # pyglossary's name of the format, and its options for writing it.
    glossary_format: ClassVar[str] = ""
    glossary_options: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            cls.store_prefix = f"{cls.name}-"

    @classmethod
    def file_stem(cls, lang: str) -> str:
        return f"lexique-{cls.name}-{cls.variant_of(lang)}"

    def snapshot(self, *, details: bool = True) -> PublishedSet:
        # Both languages, whichever direction: the article is written in the other one. An edition reads
        # its frozen texts in the languages of the options it is given.
        if self.options.edition:
            return self._in_order(read_edition(replace(self.options, lang="bilingual"), details=details))
        return super().snapshot(details=details)

    def info(self, published: PublishedSet) -> dict[str, str]:
        """What the dictionary says of itself: its name, date, description, licence."""
        source = self.options.lang
        name = published.names[source]["name"]
        # The pair as pyglossary would add it to a StarDict name, and Kobo's file names say it.
        title = f"{name} ({self.variant_of(source)})"
        domains = [domain.name(source) for domain in published.selected_domains]
        if domains:
            title += " — " + ", ".join(domains)
        if self.options.edition:
            title += f" — {'edition' if source == 'en' else 'édition'} {self.options.edition}"
        site = settings.SITE_URL.rstrip("/")
        description = (f"{published.names[source]['title']}. {site}/ — "
                       f"{settings.LEXIQUE_CONTENT_LICENCE} ({settings.LEXIQUE_CONTENT_LICENCE_URL})")
        return {"name": title, "date": published.taken_at.date().isoformat(), "description": description,
                "website": f"{site}/",
                "sourceLang": LANGUAGE_NAMES[source], "targetLang": LANGUAGE_NAMES[OTHER[source]]}

    def write(self, path: str | os.PathLike[str]) -> PublishedSet:
        published = self.snapshot()
        glossary = _glossary_class()()
        info = self.info(published)
        for key, value in info.items():
            if key not in {"sourceLang", "targetLang"}:
                glossary.setInfo(key, value)
        glossary.sourceLangName, glossary.targetLangName = info["sourceLang"], info["targetLang"]
        for entry in lookup_entries(published, self.options.lang):
            glossary.addEntry(glossary.newEntry(list(entry.keys), entry.html, defiFormat="h"))
        with tempfile.TemporaryDirectory(prefix="lexique-lookup-") as directory:
            written = Path(directory) / self.file_stem(self.options.lang)
            glossary.write(self.glossary_target(written), formatName=self.glossary_format, **self.glossary_options)
            with FixedTimeZipFile(path, "w", compression=ZIP_DEFLATED) as archive:
                archive.date_time = zip_date(published.taken_at)
                for member in sorted(written.rglob("*")):
                    if member.is_file():
                        archive.writestr(self.member_name(member, written), self.member_bytes(member))
        return published

    def glossary_target(self, directory: Path) -> str:
        """What pyglossary is asked to write to."""
        return str(directory)

    def member_name(self, member: Path, directory: Path) -> str:
        """The name of a written file in the archive."""
        return member.relative_to(directory).as_posix()

    def member_bytes(self, member: Path) -> bytes:
        return member.read_bytes()


class StarDictExporter(LookupExporter):
    """StarDict 3 (.ifo, .idx, .dict, .syn) in a folder of the archive: KOReader, GoldenDict, sdcv."""

    name = "stardict"
    label = gettext_lazy("StarDict : KOReader, GoldenDict, sdcv")
    # .dict left whole: the archive compresses it, and dictzip would date it.
    glossary_format = "Stardict"
    glossary_options = {"dictzip": False, "sametypesequence": "h"}

    def glossary_target(self, directory: Path) -> str:
        return str(directory / f"{directory.name}.ifo")

    def member_name(self, member: Path, directory: Path) -> str:
        # In a folder of its own: KOReader reads one dictionary per folder of koreader/data/dict/.
        return f"{directory.name}/{member.relative_to(directory).as_posix()}"


class KoboExporter(LookupExporter):
    """Kobo's dicthtml: gzipped pages of entries by the first two letters, and a marisa trie of the words."""

    name = "kobo"
    label = gettext_lazy("Kobo : les liseuses Kobo (dicthtml)")
    glossary_format = "Kobo"

    @classmethod
    def file_stem(cls, lang: str) -> str:
        # The name Kobo readers recognise a dictionary of this pair of languages by.
        return f"dicthtml-{cls.variant_of(lang)}"

    def member_bytes(self, member: Path) -> bytes:
        data = member.read_bytes()
        if member.suffix == ".html":
            # Written again without the time and file name gzip.open puts in its header.
            return gzip.compress(gzip.decompress(data), mtime=0)
        return data

