"""What the terminology formats (SKOS, TBX, CSV) share: each published term as its whole content, and its URI."""
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Min

from lexique.core.grammar import GRAMMAR_FIELD_NAMES
from lexique.interop.exporters.base import Exporter
from lexique.interop.published import BOOK_RULES, NEVER_PUBLISHED, ExportOptions, PublishedSet, TermEntry
from lexique.models import Revision, Term
from lexique.publishing.site import SiteNames

# The content of one entry, as the workflow services take it, plus the term's identifier (slug).
CONTENT_KEYS = (
    "headword_fr", "headword_en", *GRAMMAR_FIELD_NAMES, "category", "definition_fr", "definition_en",
    "examples_fr", "examples_en", "notes_fr", "notes_en", "synonyms", "sources", "domains", "related",
)


@dataclass
class Domain:
    slug: str
    name_fr: str
    name_en: str
    description_fr: str = ""
    description_en: str = ""
    # Its place in the site's order of domains, from 1.
    position: int = 0


@dataclass
class Records:
    """The published set (or a domain of it) as plain content dicts, in French headword order."""

    version: int
    domains: list[Domain]  # every one an entry names, in the site's order
    entries: list[dict[str, Any]]  # {"slug": ..., **CONTENT_KEYS}
    # slug -> (headword_fr, headword_en) of related terms that are published but outside this selection.
    outside: dict[str, tuple[str | None, str]]
    names: SiteNames  # what the file names the lexicon by (PublishedSet.names)
    # The rules the files are written by (PublishedSet.book_rules: an edition's, kept with it), so that an
    # edition's files built again give the same bytes; 4 and above: plain-text definitions, the licence, the
    # complete SKOS scheme.
    rules: int = BOOK_RULES
    # When the lexicon was first published, and last changed (the edition's moment for an edition).
    created: datetime = NEVER_PUBLISHED
    modified: datetime = NEVER_PUBLISHED

    @property
    def licence(self) -> tuple[str, str]:
        """The content's licence: its name and its address."""
        return settings.LEXIQUE_CONTENT_LICENCE, settings.LEXIQUE_CONTENT_LICENCE_URL


def entry_content(term: Term | TermEntry, *, domains: list[str], related: list[str]) -> dict[str, Any]:
    """One term as the terminology formats write it: every field in both languages, the Markdown sources.

    `term` is a published term or an exporter's entry (the same field names); its domains and related
    terms come as slugs, since the two hold them differently.
    """
    return {
        "slug": term.slug,
        "headword_fr": term.headword_fr,
        "headword_en": term.headword_en or "",
        **{name: getattr(term, name) or "" for name in GRAMMAR_FIELD_NAMES},
        "category": term.category or "",
        "definition_fr": term.definition_fr or "",
        "definition_en": term.definition_en or "",
        "examples_fr": term.examples_fr or "",
        "examples_en": term.examples_en or "",
        "notes_fr": term.notes_fr or "",
        "notes_en": term.notes_en or "",
        "synonyms": [dict(synonym) for synonym in term.synonyms or []],
        "sources": [dict(source) for source in term.sources or []],
        "domains": domains,
        "related": related,
    }


def first_publication(published: PublishedSet) -> datetime:
    """The moment the lexicon's first revision was approved, as seen from `published` (its moment or before):
    the same for ever, revisions being append-only."""
    first = (Revision.objects.approved().filter(reviewed_at__lte=published.taken_at)
             .aggregate(first=Min("reviewed_at"))["first"])
    return first or published.taken_at


class DataExporter(Exporter):
    """A terminology format: both languages, every field, the Markdown sources, lossless on import."""

    variants = {"bilingue": "bilingual"}
    # What a file is called when downloaded, before the domains and the extension.
    download_stem = "lexique"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            cls.store_prefix = f"{cls.name}-"

    @classmethod
    def options(cls, *, domains: Iterable[str] = ()) -> ExportOptions:  # type: ignore[override]  # see the docstring
        """The options of this format's files (of `domains`). Called on the class: an exporter's own `options`
        is the attribute Exporter.__init__ sets."""
        return ExportOptions(lang="bilingual", domains=tuple(domains))

    @classmethod
    def file_stem(cls, lang: str) -> str:
        return cls.download_stem

    def _term_fields(self) -> tuple[str, ...]:
        return (*super()._term_fields(), "definition_fr", "definition_en")

    def records(self) -> tuple[Records, PublishedSet]:
        published = self.snapshot()
        slugs = {term.id: term.slug for term in published.terms}
        slugs.update({pk: row["slug"] for pk, row in published.outside.items()})
        entries = [
            entry_content(term, domains=[domain.slug for domain in term.domains],
                          related=[slugs[pk] for pk in term.related if pk in slugs])
            for term in published.terms
        ]
        named = {slug for entry in entries for slug in entry["domains"]}
        domains = [Domain(d.slug, d.name_fr, d.name_en, d.description_fr, d.description_en, position)
                   for position, d in enumerate(published.domains, start=1) if d.slug in named]
        outside = {row["slug"]: (row["headword_fr"], row["headword_en"] or "") for row in published.outside.values()}
        return Records(version=published.version, domains=domains, entries=entries, outside=outside,
                       names=published.names, rules=published.book_rules, created=first_publication(published),
                       modified=published.taken_at), published

    def write(self, path: str | os.PathLike[str]) -> PublishedSet:
        records, published = self.records()
        with open(path, "wb") as handle:
            handle.write(self.serialize(records))
        return published

    def serialize(self, records: Records) -> bytes:
        raise NotImplementedError
