"""The exporter base class: the published set read consistently, filtered and ordered, for one format to write."""
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from modeltranslation.manager import MultilingualQuerySet

from lexique.core.content import unknown_domains_message
from lexique.core.grammar import GRAMMAR_FIELD_NAMES
from lexique.core.text import initial, normalize
from lexique.interop.frozen import fill_edition_details, read_edition
from lexique.interop.published import (
    SNAPSHOT_ATTEMPTS,
    DomainEntry,
    ExportOptions,
    OptionsError,
    OutsideTerm,
    PublishedSet,
    TermEntry,
    published_date,
    xml_safe,
)
from lexique.models import ContributorPreferences, LexiconState, Revision, Term
from lexique.publishing.site import site_names
from lexique.selectors import domain_rows, public_name, published_related_pairs, unknown_domains

_TERM_FIELDS = (
    "id", "slug", "headword_fr", "headword_en", "definition_html_fr", "definition_html_en",
    "examples_fr", "examples_en", "notes_fr", "notes_en", "category", *GRAMMAR_FIELD_NAMES, "sort_key", "initial",
    "examples_html_fr", "examples_html_en", "notes_html_fr", "notes_html_en",
)
# What an outline reads of every term: enough to file, name and link it.
_OUTLINE_FIELDS = ("id", "slug", "headword_fr", "headword_en", "category", *GRAMMAR_FIELD_NAMES, "sort_key", "initial")
# The texts fill_details reads and clear_details forgets, with their empty values.
_DETAIL_DEFAULTS = {
    entry_field.name: entry_field.default for entry_field in fields(TermEntry)
    if entry_field.name not in {*_OUTLINE_FIELDS, "other_key", "synonyms", "domains", "related"}
}
_EMPTY_JSON = {None, "", "[]", "null"}
# Rows fetched from the database at a time: the driver never holds the whole published set.
READ_CHUNK = 2000


def _decoded(text: str | None) -> Any:
    return () if text is None or text in _EMPTY_JSON else json.loads(text)


def _term_entry(row: dict[str, Any]) -> TermEntry:
    sources, synonyms = _decoded(row.pop("sources_json", None)), _decoded(row.pop("synonyms_json"))
    # A few parts of speech for the whole lexicon: one string each, not one per term.
    row["category"] = sys.intern(row["category"] or "")
    for name in GRAMMAR_FIELD_NAMES:
        row[name] = sys.intern(row[name] or "")
    return TermEntry(**row, sources=sources, synonyms=synonyms)


def _outline_entry(pk: int, slug: str, headword_fr: str, headword_en: str | None, category: str | None,
                   *rest: Any) -> TermEntry:
    """An outline's row: its first fields, the grammar fields (GRAMMAR_FIELD_NAMES), then its keys and synonyms."""
    count = len(GRAMMAR_FIELD_NAMES)
    grammar, (sort_key, initial_, other_key, synonyms_json) = rest[:count], rest[count:]
    entry = TermEntry(id=pk, slug=slug, sort_key=sort_key, initial=initial_, headword_fr=headword_fr,
                      headword_en=headword_en or "", category=sys.intern(category or ""), other_key=other_key,
                      synonyms=_decoded(synonyms_json))
    for name, value in zip(GRAMMAR_FIELD_NAMES, grammar, strict=True):
        if value:  # most are empty, as the entry's fields are already
            setattr(entry, name, sys.intern(value))
    return entry


def _named_contributors(approved: QuerySet[Revision]) -> tuple[str, ...]:
    """Authors and reviewers of `approved` who agreed to be named, by the name the site shows them under."""
    # The few people who agreed first, then for each whether they wrote or approved one of these
    # revisions: "id IN (authors) OR id IN (reviewers)" would gather the authors of the whole lexicon twice.
    agreed = list(ContributorPreferences.objects.filter(named_in_credits=True).values_list("user_id", flat=True))
    if not agreed:
        return ()
    people = get_user_model().objects.filter(pk__in=agreed).filter(
        Exists(approved.filter(author_id=OuterRef("pk"))) | Exists(approved.filter(reviewer_id=OuterRef("pk")))
    )
    names = {xml_safe(public_name(person)).strip() for person in people}
    return tuple(sorted(names - {""}, key=lambda name: (normalize(name), name)))


def _one_value_ids(alias: str, ids: list[int]) -> RawSQL:
    """A subquery of `ids` bound as one parameter (an array, or JSON on SQLite), for `pk__in`."""
    if connections[alias].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def _as_stored(terms: QuerySet[Term]) -> QuerySet[Term]:
    """`terms` read as stored: the fields are named per language already, so modeltranslation has no fallback
    to apply, and its per-row work would cost a third of the read."""
    # Every queryset of a translated model is made a MultilingualQuerySet by modeltranslation, at run time.
    return cast(MultilingualQuerySet[Term], terms).rewrite(False)


class StaleSnapshot(Exception):
    """The published set changed while it was being read."""


class Exporter:
    """One export format of the published set; subclasses say how it is written.

    The base class owns what every format shares: published terms only, filtered by domain,
    in French collation order (or English order for an English export), read consistently.
    """

    # What the registry, the views, the store of built files and the commands know of a format.
    name = ""
    extension = ""
    media_type = "application/octet-stream"
    layout_version = 1
    # The language words of its addresses, each to the ExportOptions.lang it stands for.
    variants: dict[str, str] = {}
    # A terminology format's file at the API (terms/files/<api_file>) and what the downloads page says of it;
    # empty for a format the API does not serve as a data file (EPUB).
    api_file = ""
    label: Any = ""
    # Part of the names of its stored files, so that two formats never share one.
    store_prefix = ""
    # Whether it reads the texts of both languages whatever its variant (a look-up dictionary translates).
    reads_both_languages = False

    def __init__(self, options: ExportOptions, *, progress: Callable[[int, int], None] | None = None) -> None:
        self.options = options
        # Told (terms read, terms in all) as the terms' texts are read, a chunk at a time for a book:
        # a command's progress bar.
        self.progress = progress
        self._read_count = 0

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(min(done, total), total)

    @classmethod
    def file_stem(cls, lang: str) -> str:
        """What its files of language `lang` are called, before the domains and the extension; empty for a
        book, named after its title and language."""
        return ""

    @classmethod
    def asked_options(cls, *, lang: str = "", domains: Iterable[str] = (), **book: str) -> ExportOptions:
        """The options of an export of this format asked for by language and domains (registry.asked_export,
        which finds the format by name, and a command that knows its format: the same check, the same
        messages). OptionsError, its `field` "lang" or "domains", when one of them is not valid."""
        variants = cls.variants
        lang = lang or next(iter(variants))
        if lang not in variants and lang not in variants.values():
            raise OptionsError(_("Langue inconnue : %(lang)s.") % {"lang": str(lang)[:20]}, field="lang")
        options = ExportOptions(lang=variants.get(lang, lang), domains=tuple(domains), **book)
        unknown = unknown_domains(options.domains)
        if unknown:
            raise OptionsError(unknown_domains_message(unknown), field="domains")
        return options

    @classmethod
    def variant_of(cls, lang: str) -> str:
        """The word of the format's addresses for the export language `lang` ("bilingual": "bilingue")."""
        return {value: word for word, value in cls.variants.items()}[lang]

    def snapshot(self, *, details: bool = True) -> PublishedSet:
        """Read the published set; retried if a publication commits while it is read.

        Without `details`, an outline: every term without its texts, to be read a chunk at a time
        with `fill_details`.
        """
        published = self._snapshot(details=details)
        self._read_count = len(published.terms) if details else 0
        self._report(self._read_count, len(published.terms))
        return published

    def _snapshot(self, *, details: bool) -> PublishedSet:
        if self.options.edition:
            return self._in_order(read_edition(self.options, details=details))
        for _attempt in range(SNAPSHOT_ATTEMPTS):
            try:
                return self._read(details=details)
            except StaleSnapshot:
                continue
        return self._read(strict=False, details=details)

    def fill_details(self, terms: list[TermEntry], published: PublishedSet, *, strict: bool = True) -> None:
        """Read the texts of `terms` (entries of an outline) from the database.

        StaleSnapshot, when `strict`, if a publication has landed since the outline was read: the
        book would mix two states of the lexicon.
        """
        self._read_count += len(terms)
        self._report(self._read_count, len(published.terms))
        if self.options.edition:  # frozen: never stale
            return fill_edition_details(self.options, terms)
        names = self._detail_fields()
        # Tuples rather than dicts, and the ids bound as one value: a book reads the texts of thousands
        # of terms, and Django's per-row and per-value work would be a third of the export.
        published_rows = self._published_rows()
        rows = published_rows.filter(pk__in=_one_value_ids(published_rows.db, [term.id for term in terms])).annotate(
            sources_json=Cast("sources", TextField())
        ).values_list("id", "sources_json", *names)
        found = {row[0]: row for row in rows}
        if strict and (len(found) < len(terms) or not self.unchanged(published)):
            raise StaleSnapshot
        for term in terms:
            row = found.get(term.id)
            if row is not None:
                term.sources = _decoded(row[1])
                for name, value in zip(names, row[2:], strict=True):
                    if value:
                        setattr(term, name, value)

    def clear_details(self, terms: list[TermEntry]) -> None:
        """Forget the texts read by `fill_details`, once their pages are written."""
        # Only what was read (an edition's frozen texts hold every field).
        names: Iterable[str] = _DETAIL_DEFAULTS if self.options.edition else ("sources", *self._detail_fields())
        defaults = [(name, _DETAIL_DEFAULTS[name]) for name in names]
        for term in terms:
            for name, default in defaults:
                setattr(term, name, default)

    def _detail_fields(self) -> list[str]:
        return [name for name in self._term_fields() if name not in _OUTLINE_FIELDS]

    @staticmethod
    def unchanged(published: PublishedSet) -> bool:
        """Whether the published set is still the one `published` was read from."""
        return LexiconState.objects.filter(version=published.version).exists()

    @staticmethod
    def _published_rows() -> QuerySet[Term]:
        return _as_stored(Term.objects.published()).order_by()

    def _read(self, strict: bool = True, details: bool = True) -> PublishedSet:
        state = LexiconState.current()
        domains = [DomainEntry(**row) for row in domain_rows()]
        by_id = {domain.id: domain for domain in domains}
        selected = [domain for domain in domains if domain.slug in self.options.domains]

        published = Term.objects.published()
        links = Term.domains.through.objects.filter(term__status=Term.Status.PUBLISHED)
        if self.options.domains:
            chosen = links.filter(domain__slug__in=self.options.domains).values("term_id")
            published = published.filter(pk__in=Subquery(chosen))
        # Sources and synonyms come as text and are decoded only when there are some: most terms
        # have none, and decoding 20,000 empty JSON lists is a tenth of a large export.
        rows = _as_stored(published).order_by().annotate(synonyms_json=Cast("synonyms", TextField()))
        english_keys = not details and self.options.main_language == "en"
        if details:
            texts = rows.annotate(sources_json=Cast("sources", TextField())).values(
                *self._term_fields(), "sources_json", "synonyms_json")
            terms = [_term_entry(row) for row in texts.iterator(chunk_size=READ_CHUNK)]
        else:
            # Positional rows: an outline is read for every book, and per-row dicts cost a tenth of it.
            # An English book is filed by the English keys the terms keep (Term.refresh_keys).
            keys = ("sort_key_english", "initial_english", "sort_key") if english_keys else (
                "sort_key", "initial", "sort_key_english")
            outline = rows.values_list("id", "slug", "headword_fr", "headword_en", "category", *GRAMMAR_FIELD_NAMES,
                                       *keys, "synonyms_json")
            terms = [_outline_entry(*row) for row in outline.iterator(chunk_size=READ_CHUNK)]
        entries = {term.id: term for term in terms}

        # Every link as stored, without a join or a sort: those of terms outside the set are passed over,
        # and the few terms in several domains put theirs in the domains' order (the order `domains` has).
        domain_links = Term.domains.through.objects.order_by().values_list("term_id", "domain_id")
        for term_id, domain_id in domain_links.iterator(chunk_size=READ_CHUNK):
            entry = entries.get(term_id)
            if entry is not None:
                entry.domains = [*entry.domains, by_id[domain_id]]
        rank = {domain.id: position for position, domain in enumerate(domains)}
        for entry in terms:
            if len(entry.domains) > 1:
                entry.domains = sorted(entry.domains, key=lambda domain: rank[domain.id])
        related_pairs = list(published_related_pairs())
        outside_ids: set[int] = set()
        for from_id, to_id in related_pairs:
            if from_id in entries:
                entry = entries[from_id]
                entry.related = [*entry.related, to_id]
                if to_id not in entries:
                    outside_ids.add(to_id)
        outside: dict[int, OutsideTerm] = {}
        if outside_ids:
            names = Term.objects.published().filter(pk__in=outside_ids).values(
                "id", "slug", "headword_fr", "headword_en")
            outside = {row["id"]: row for row in names}

        approved = Revision.objects.filter(state=Revision.State.APPROVED)
        # The whole lexicon by a join, which the planner walks faster than a list of every published id.
        approved = (approved.filter(term__in=published.values("pk")) if self.options.domains
                    else approved.filter(term__status=Term.Status.PUBLISHED))
        # One pass over the approved revisions for both counts (COUNT DISTINCT leaves out missing reviewers).
        counts = approved.aggregate(authors=Count("author_id", distinct=True),
                                    moderators=Count("reviewer_id", distinct=True))
        authors, moderators = counts["authors"], counts["moderators"]
        named = _named_contributors(approved)

        if strict and not LexiconState.objects.filter(pk=state.pk, version=state.version).exists():
            raise StaleSnapshot
        terms = self._ordered(terms, keyed=english_keys)
        order = {term.id: position for position, term in enumerate(terms)}
        for term in terms:
            if term.related:
                term.related.sort(key=lambda pk: (pk not in order, order.get(pk, 0), pk))
        return PublishedSet(
            version=state.version, changed_at=state.changed_at, taken_at=published_date(state.changed_at),
            domains=domains, terms=terms, outside=outside, selected_domains=selected, names=site_names(),
            authors=authors, moderators=moderators, named=named, typography=settings.LEXIQUE_TYPOGRAPHY,
        )

    def _term_fields(self) -> tuple[str, ...]:
        if self.reads_both_languages or "en" in self.options.languages:
            return _TERM_FIELDS
        # The English headword even so: it tells an anglicism among the French synonyms.
        return tuple(name for name in _TERM_FIELDS if not name.endswith("_en") or name == "headword_en")

    def _in_order(self, published: PublishedSet) -> PublishedSet:
        """An edition's terms in this export's order, and each term's related terms in that order too."""
        published.terms = self._ordered(published.terms)
        order = {term.id: position for position, term in enumerate(published.terms)}
        for term in published.terms:
            if term.related:
                term.related.sort(key=lambda pk: (pk not in order, order.get(pk, 0), pk))
        return published

    def _ordered(self, terms: Iterable[TermEntry], *, keyed: bool = False) -> list[TermEntry]:
        """French collation order from the stored keys; an English export follows the English headwords
        (their keys made here unless `keyed`: read as the terms keep them).

        Sorted here rather than by the database, whose collation differs between SQLite and PostgreSQL.
        """
        if self.options.main_language == "en" and not keyed:
            for term in terms:
                headword, _lang = term.headword("en")
                term.sort_key = normalize(headword)
                term.initial = initial(headword)
        # Headwords that do not start with a Latin letter (digits, other scripts) come first, together.
        return sorted(terms, key=lambda term: (term.initial != "#", term.sort_key, term.slug))

    def write(self, path: str | os.PathLike[str]) -> PublishedSet:
        """Write the export to `path` and return the snapshot it was made from."""
        raise NotImplementedError
