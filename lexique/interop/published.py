"""The published set as the formats read it: the options of an export, its terms and domains as entries.

Both readers fill these: the live one (lexique.interop.exporters.base) and an edition's frozen one
(lexique.interop.frozen).
"""
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from lexique.models import LexiconState
from lexique.publishing.site import SiteNames

LANGS = ("fr", "en", "bilingual")
TITLE_MAX_LENGTH = 150
SUBTITLE_MAX_LENGTH = 200
ORGANISATION_MAX_LENGTH = 150
_SPACES = re.compile(r"\s+")
_LOGO_DIGEST = re.compile(r"[0-9a-f]{32}")
# Characters XML 1.0 forbids: a headword pasted from a word processor must not break a book.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Times a snapshot is retried when a publication lands while it is being read.
SNAPSHOT_ATTEMPTS = 3
# What a lexicon that has never published anything is dated by (the earliest date a zip entry can
# carry): an export is dated by its data, never by the clock.
NEVER_PUBLISHED = datetime(1980, 1, 1, tzinfo=UTC)
# The rules the e-books are written by now. A book of an edition keeps the rules of its day
# (Edition.book_rules), so that its bytes never change; each rule says from which number it applies.
# 1: a synonym's language is the one its data gives; a French synonym is an English word only when it
# is the English term itself, accents and all.
# 2: the front matter says no "all domains", no count of contributors without their names, "Logo : name",
# and cites the edition in lower case ("édition du…", "… edition").
# 3: an English book gives the English address of the site and of its terms (/en/…).
# 4: the terminology files (SKOS, TBX) give definitions as plain text (the Markdown kept beside it), the
# content's licence, and SKOS its complete scheme (labels, top concepts, dates, publisher, symmetric links);
# the bilingual and English books are EPUB Dictionaries: entries as dictionary articles, a search key map
# for each direction, dc:type "dictionary" and the source and target languages (the French book stays a
# glossary); French is set by the site's typographic convention (Edition.typography), Québec's by default.
# 5: the books' entries run in, as a dictionary's (headword, category and definition in one paragraph,
# examples in italics, statuses in italics everywhere, → for related terms, a language's synonyms with its
# definition), a related term outside the book is left out, and the strip of letters is compact.
# 6: a see entry of an abbreviation, acronym or initialism says so, on its letter page and in the index
# ("IA (sigle) → intelligence artificielle"), as the A–Z pages of the site do; the cover sets the title in
# italics; every file of an index split over several marks its letters in the index's strip as the current
# ones; the look-up dictionaries' articles cite the term's sources.
BOOK_RULES = 6


def published_date(changed_at: datetime | None) -> datetime:
    """The moment an export of the published set is dated by: its last publication."""
    return changed_at or NEVER_PUBLISHED


def current_published_date() -> datetime:
    """The date an export of the published set made now would carry (one query, no snapshot)."""
    return published_date(LexiconState.current().changed_at)


def xml_safe(text: str) -> str:
    """The text without the characters XML cannot carry at all (escaping is the writer's job)."""
    return _NOT_XML.sub("", text or "")


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", xml_safe(text)).strip()


class OptionsError(ValueError):
    """The options of an export are not acceptable; the message says why, in French, and `field` which
    option it is about ("format", "lang", "domains"; empty for the others)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ExportOptions:
    """What a reader asked for: languages, domains, and an organisation's own title and name."""

    lang: str = "fr"
    domains: tuple[str, ...] = ()
    title: str = ""
    subtitle: str = ""
    organisation: str = ""
    logo: str = ""  # the digest of a stored logo (exports.logo), shown on the cover and title page
    # The number of an edition (models.Edition): its frozen revisions instead of the published set.
    edition: str = ""

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise OptionsError(_("Langue inconnue : %(lang)s.") % {"lang": str(self.lang)[:20]}, field="lang")
        # Normalised here so that equal requests share one stored file.
        object.__setattr__(self, "domains", tuple(sorted({slug.strip() for slug in self.domains if slug.strip()})))
        object.__setattr__(self, "title", _one_line(self.title))
        object.__setattr__(self, "subtitle", _one_line(self.subtitle))
        object.__setattr__(self, "organisation", _one_line(self.organisation))
        if len(self.title) > TITLE_MAX_LENGTH:
            raise OptionsError(_("Le titre a %(count)d caractères au plus.") % {"count": TITLE_MAX_LENGTH})
        if len(self.subtitle) > SUBTITLE_MAX_LENGTH:
            raise OptionsError(_("Le sous-titre a %(count)d caractères au plus.") % {"count": SUBTITLE_MAX_LENGTH})
        if self.logo and not _LOGO_DIGEST.fullmatch(self.logo):
            raise OptionsError(_("Logo inconnu : envoyez-le de nouveau."))
        if len(self.organisation) > ORGANISATION_MAX_LENGTH:
            raise OptionsError(
                _("Le nom de l’organisation a %(count)d caractères au plus.") % {"count": ORGANISATION_MAX_LENGTH}
            )

    @property
    def languages(self) -> tuple[str, ...]:
        """The content languages of the export, the main one first."""
        return ("fr", "en") if self.lang == "bilingual" else (self.lang,)

    @property
    def main_language(self) -> str:
        return self.languages[0]

    @property
    def is_custom(self) -> bool:
        """An organisation's own edition (its title, subtitle or name), rather than one of the standard books."""
        return bool(self.title or self.subtitle or self.organisation or self.logo)

    def canonical(self) -> dict[str, Any]:
        canonical: dict[str, Any] = {"lang": self.lang, "domains": list(self.domains), "title": self.title,
                                     "subtitle": self.subtitle}
        # Only when given, so that the books made before organisations were named keep their identifiers.
        if self.organisation:
            canonical["organisation"] = self.organisation
        if self.logo:
            canonical["logo"] = self.logo
        if self.edition:
            canonical["edition"] = self.edition
        return canonical

    def digest(self) -> str:
        """A short, stable name for this variant (the same on every machine and every day)."""
        payload = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(payload).hexdigest()[:16]


@dataclass
class DomainEntry:
    id: int
    slug: str
    name_fr: str
    name_en: str
    # Editions frozen before descriptions were kept have none.
    description_fr: str = ""
    description_en: str = ""

    def name(self, lang: str) -> str:
        return (self.name_en or self.name_fr) if lang == "en" else self.name_fr


@dataclass(slots=True)
class TermEntry:
    """One published term, as plain data (no model instances: an export of 10,000 terms must be quick).

    An outline of the published set (``snapshot(details=False)``) holds what plans a book: names, keys,
    synonyms, domains and links; the texts of a few hundred entries at a time are read with
    ``fill_details`` and dropped with ``clear_details``, so that a book of any size fits in memory.
    """

    id: int
    slug: str
    sort_key: str
    initial: str
    headword_fr: str
    definition_html_fr: str = ""
    examples_fr: str = ""
    notes_fr: str = ""
    category: str = ""
    # The headword's grammar and region in each language (lexique.core.grammar.GRAMMAR_FIELD_NAMES).
    part_of_speech_fr: str = ""
    gender_fr: str = ""
    region_fr: str = ""
    part_of_speech_en: str = ""
    gender_en: str = ""
    region_en: str = ""
    # Left empty in a French-only export, which does not read them.
    headword_en: str = ""
    definition_html_en: str = ""
    examples_en: str = ""
    notes_en: str = ""
    # Examples and notes rendered from their Markdown when approved, sanitised as definitions are.
    examples_html_fr: str = ""
    examples_html_en: str = ""
    notes_html_fr: str = ""
    notes_html_en: str = ""
    # Tuples while empty: most terms have no sources or synonyms, and 100,000 empty lists weigh 5 MB.
    sources: list[dict[str, Any]] | tuple[()] = ()
    synonyms: list[dict[str, Any]] | tuple[()] = ()
    domains: list[DomainEntry] | tuple[()] = ()
    related: list[int] | tuple[()] = ()  # ids, in headword order
    # The Markdown source of the definitions: read only by the formats that carry it (SKOS, TBX, CSV).
    definition_fr: str = ""
    definition_en: str = ""
    # The key the term keeps for its headword in the book's other language (an outline's), for the
    # index of equivalents; made from the headword when empty.
    other_key: str = ""

    def headword(self, lang: str) -> tuple[str, str]:
        """The headword in `lang`, and the language it is really in (French stands in for a missing English)."""
        if lang == "en" and self.headword_en:
            return self.headword_en, "en"
        return self.headword_fr, "fr"

    def text(self, name: str, lang: str) -> tuple[str, str]:
        """A translated field in `lang`, falling back to French, with the language it is in."""
        value = getattr(self, f"{name}_{lang}")
        if value or lang == "fr":
            return value, lang
        return getattr(self, f"{name}_fr"), "fr"


class OutsideTerm(TypedDict):
    """A related term that is published but outside the selection: what a link to it needs."""

    id: int
    slug: str
    headword_fr: str | None
    headword_en: str | None


@dataclass
class PublishedSet:
    """A consistent snapshot of the published lexicon: every term it holds belongs to `version`."""

    version: int
    changed_at: datetime | None
    # The moment the export is dated by: the last publication (or the edition's), never the clock, so
    # that the same published set always gives the same bytes.
    taken_at: datetime
    domains: list[DomainEntry]  # in the site's order; all of them, so that entries can name them
    terms: list[TermEntry]  # in reading order
    outside: dict[int, OutsideTerm]  # by id: related terms that are published but not in this selection
    selected_domains: list[DomainEntry]  # the domains the reader asked for (empty: the whole lexicon)
    # What the files name the lexicon by: the site's name and title now, or when the edition was published.
    names: SiteNames
    authors: int = 0  # people whose approved revisions made the terms of this selection
    moderators: int = 0  # people who approved them
    # The rules the books of this set are written by (BOOK_RULES; an edition's, kept with it).
    book_rules: int = BOOK_RULES
    # The typographic convention of French in its files (LEXIQUE_TYPOGRAPHY, or the edition's), from rules 4.
    typography: str = "france"
    named: tuple[str, ...] = ()  # the public names of those of them who agreed to be named in the credits, in order
