"""The published set, filtered and ordered: what every export format starts from."""
import hashlib
import json
import re
import sys
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Subquery, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from lexique.core.text import initial, normalize
from lexique.models import ContributorPreferences, Domain, LexiconState, Revision, Term
from lexique.selectors import domain_rows, public_name, published_related_pairs

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
    """The options of an export are not acceptable; the message says why, in French."""


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

    def __post_init__(self):
        if self.lang not in LANGS:
            raise OptionsError(_("Langue inconnue : %(lang)s.") % {"lang": str(self.lang)[:20]})
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

    def canonical(self) -> dict:
        canonical = {"lang": self.lang, "domains": list(self.domains), "title": self.title, "subtitle": self.subtitle}
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

    def name(self, lang):
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
    sources: list | tuple = ()
    synonyms: list | tuple = ()
    domains: list | tuple = ()  # DomainEntry
    related: list | tuple = ()  # ids, in headword order
    # The Markdown source of the definitions: read only by the formats that carry it (SKOS, TBX, CSV).
    definition_fr: str = ""
    definition_en: str = ""
    # The key the term keeps for its headword in the book's other language (an outline's), for the
    # index of equivalents; made from the headword when empty.
    other_key: str = ""

    def headword(self, lang):
        """The headword in `lang`, and the language it is really in (French stands in for a missing English)."""
        if lang == "en" and self.headword_en:
            return self.headword_en, "en"
        return self.headword_fr, "fr"

    def text(self, name, lang):
        """A translated field in `lang`, falling back to French, with the language it is in."""
        value = getattr(self, f"{name}_{lang}")
        if value or lang == "fr":
            return value, lang
        return getattr(self, f"{name}_fr"), "fr"


@dataclass
class PublishedSet:
    """A consistent snapshot of the published lexicon: every term it holds belongs to `version`."""

    version: int
    changed_at: datetime | None
    # The moment the export is dated by: the last publication (or the edition's), never the clock, so
    # that the same published set always gives the same bytes.
    taken_at: datetime
    domains: list  # DomainEntry, in the site's order; all of them, so that entries can name them
    terms: list  # TermEntry, in reading order
    outside: dict  # id -> TermEntry-like dict for related terms that are published but not in this selection
    selected_domains: list  # DomainEntry the reader asked for (empty: the whole lexicon)
    authors: int = 0  # people whose approved revisions made the terms of this selection
    moderators: int = 0  # people who approved them
    named: tuple = ()  # the public names of those of them who agreed to be named in the credits, in order


_TERM_FIELDS = (
    "id", "slug", "headword_fr", "headword_en", "definition_html_fr", "definition_html_en",
    "examples_fr", "examples_en", "notes_fr", "notes_en", "category", "sort_key", "initial",
    "examples_html_fr", "examples_html_en", "notes_html_fr", "notes_html_en",
)
# What an outline reads of every term: enough to file, name and link it.
_OUTLINE_FIELDS = ("id", "slug", "headword_fr", "headword_en", "category", "sort_key", "initial")
# The texts fill_details reads and clear_details forgets, with their empty values.
_DETAIL_DEFAULTS = {
    entry_field.name: entry_field.default for entry_field in fields(TermEntry)
    if entry_field.name not in {*_OUTLINE_FIELDS, "other_key", "synonyms", "domains", "related"}
}
_EMPTY_JSON = {None, "", "[]", "null"}
# Rows fetched from the database at a time: the driver never holds the whole published set.
READ_CHUNK = 2000


def _decoded(text):
    return () if text in _EMPTY_JSON else json.loads(text)


def _term_entry(row):
    sources, synonyms = _decoded(row.pop("sources_json", None)), _decoded(row.pop("synonyms_json"))
    # A few parts of speech for the whole lexicon: one string each, not one per term.
    row["category"] = sys.intern(row["category"] or "")
    return TermEntry(**row, sources=sources, synonyms=synonyms)


def _outline_entry(pk, slug, headword_fr, headword_en, category, sort_key, initial_, other_key, synonyms_json):
    return TermEntry(id=pk, slug=slug, sort_key=sort_key, initial=initial_, headword_fr=headword_fr,
                     headword_en=headword_en or "", category=sys.intern(category or ""), other_key=other_key,
                     synonyms=_decoded(synonyms_json))


def _named_contributors(approved) -> tuple:
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


def _one_value_ids(alias: str, ids: list) -> RawSQL:
    """A subquery of `ids` bound as one parameter (an array, or JSON on SQLite), for `pk__in`."""
    if connections[alias].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


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
    variants: dict = {}
    # Part of the names of its stored files, so that two formats never share one.
    store_prefix = ""

    def __init__(self, options: ExportOptions):
        self.options = options

    def unknown_domains(self) -> list[str]:
        known = set(Domain.objects.filter(slug__in=self.options.domains).values_list("slug", flat=True))
        return [slug for slug in self.options.domains if slug not in known]

    def snapshot(self, *, details: bool = True) -> PublishedSet:
        """Read the published set; retried if a publication commits while it is read.

        Without `details`, an outline: every term without its texts, to be read a chunk at a time
        with `fill_details`.
        """
        if self.options.edition:
            from lexique.exports.editions import read_edition  # late: it reads the store, which imports this module

            return read_edition(self, details=details)
        for _attempt in range(SNAPSHOT_ATTEMPTS):
            try:
                return self._read(details=details)
            except StaleSnapshot:
                continue
        return self._read(strict=False, details=details)

    def fill_details(self, terms: list, published: PublishedSet, *, strict: bool = True) -> None:
        """Read the texts of `terms` (entries of an outline) from the database.

        StaleSnapshot, when `strict`, if a publication has landed since the outline was read: the
        book would mix two states of the lexicon.
        """
        if self.options.edition:  # frozen: never stale
            from lexique.exports.editions import fill_edition_details

            return fill_edition_details(self, terms)
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

    def clear_details(self, terms: list) -> None:
        """Forget the texts read by `fill_details`, once their pages are written."""
        # Only what was read (an edition's frozen texts hold every field).
        names = _DETAIL_DEFAULTS if self.options.edition else ("sources", *self._detail_fields())
        defaults = [(name, _DETAIL_DEFAULTS[name]) for name in names]
        for term in terms:
            for name, default in defaults:
                setattr(term, name, default)

    def _detail_fields(self) -> list:
        return [name for name in self._term_fields() if name not in _OUTLINE_FIELDS]

    @staticmethod
    def unchanged(published: PublishedSet) -> bool:
        """Whether the published set is still the one `published` was read from."""
        return LexiconState.objects.filter(version=published.version).exists()

    @staticmethod
    def _published_rows():
        # rewrite(False): the fields are named per language already, so modeltranslation has no
        # fallback to apply, and its per-row work would cost a third of the read.
        return Term.objects.published().rewrite(False).order_by()

    def _read(self, strict=True, details=True) -> PublishedSet:
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
        rows = published.rewrite(False).order_by().annotate(synonyms_json=Cast("synonyms", TextField()))
        english_keys = not details and self.options.main_language == "en"
        if details:
            rows = rows.annotate(sources_json=Cast("sources", TextField())).values(
                *self._term_fields(), "sources_json", "synonyms_json")
            terms = [_term_entry(row) for row in rows.iterator(chunk_size=READ_CHUNK)]
        else:
            # Positional rows: an outline is read for every book, and per-row dicts cost a tenth of it.
            # An English book is filed by the English keys the terms keep (Term.refresh_keys).
            keys = ("sort_key_english", "initial_english", "sort_key") if english_keys else (
                "sort_key", "initial", "sort_key_english")
            rows = rows.values_list("id", "slug", "headword_fr", "headword_en", "category", *keys, "synonyms_json")
            terms = [_outline_entry(*row) for row in rows.iterator(chunk_size=READ_CHUNK)]
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
                entry.domains.sort(key=lambda domain: rank[domain.id])
        related_pairs = list(published_related_pairs())
        outside_ids = set()
        for from_id, to_id in related_pairs:
            if from_id in entries:
                entry = entries[from_id]
                entry.related = [*entry.related, to_id]
                if to_id not in entries:
                    outside_ids.add(to_id)
        outside = {}
        if outside_ids:
            rows = Term.objects.published().filter(pk__in=outside_ids).values("id", "slug", "headword_fr", "headword_en")
            outside = {row["id"]: row for row in rows}

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
            domains=domains, terms=terms, outside=outside, selected_domains=selected,
            authors=authors, moderators=moderators, named=named,
        )

    def _term_fields(self):
        if "en" in self.options.languages:
            return _TERM_FIELDS
        # The English headword even so: it tells an anglicism among the French synonyms.
        return tuple(name for name in _TERM_FIELDS if not name.endswith("_en") or name == "headword_en")

    def _ordered(self, terms, *, keyed=False):
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

    def write(self, path) -> PublishedSet:
        """Write the export to `path` and return the snapshot it was made from."""
        raise NotImplementedError
