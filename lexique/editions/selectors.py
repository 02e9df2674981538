"""Reads of numbered editions: their files, their terms as they were, and what changed between two."""
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lexique.core.diff import Chunk, DiffBudget, revision_diff
from lexique.core.grammar import GRAMMAR_FIELD_NAMES
from lexique.editions.files import edition_file_name, recorded_files
from lexique.interop.published import ExportOptions
from lexique.interop.registry import EXPORTERS
from lexique.models import Edition, EditionEntry, Revision
from lexique.platform.queue import task_id
from lexique.selectors import labelled_content


def _edition_files() -> dict[str, tuple[str, str]]:
    """{file name at the permanent address: (format, language)}: each variant of each format (the EPUB's
    languages, the look-up dictionaries' directions, the terminology formats' one bilingual file)."""
    files = {}
    for name, exporter_class in EXPORTERS.items():
        for lang in exporter_class.variants.values():
            files[edition_file_name(exporter_class, ExportOptions(lang=lang))] = (name, lang)
    return files


EDITION_FILES = _edition_files()


def edition_file_label(file_name: str) -> str:
    """What a file of an edition is, in the reader's language: the data file's label, or the e-book and its
    language ("Livre numérique EPUB, bilingue")."""
    name, lang = EDITION_FILES[file_name]
    if name != "epub":
        return str(EXPORTERS[name].label)
    return _("Livre numérique EPUB, %(language)s") % {"language": EPUB_LANGUAGES[lang]}


# The e-book's variants as a reader names them.
EPUB_LANGUAGES = {"fr": gettext_lazy("français"), "en": gettext_lazy("anglais"), "bilingual": gettext_lazy("bilingue")}


def edition_options(number: str, file_name: str) -> tuple[Any, ExportOptions]:
    """The exporter class and options of one file of edition `number`; KeyError for an unknown file."""
    name, lang = EDITION_FILES[file_name]
    return EXPORTERS[name], ExportOptions(lang=lang, edition=number)


def edition_digests(edition: Edition) -> list[tuple[str, str | None]]:
    """(file name, SHA-256 recorded when it was first built, or None if not built yet) for each file
    of `edition`, in the order of its page."""
    recorded = recorded_files(edition)
    return [(name, recorded[name].sha256 if name in recorded else None) for name in EDITION_FILES]


def sha256sums(edition: Edition) -> str:
    """The digests of the files of `edition` built so far, as `sha256sum --check` reads them."""
    return "".join(f"{digest}  {name}\n" for name, digest in edition_digests(edition) if digest)


def editions() -> QuerySet[Edition]:
    return Edition.objects.select_related("published_by").order_by("-published_at", "-id")


def previous_edition(edition: Edition) -> Edition | None:
    return Edition.objects.filter(published_at__lt=edition.published_at).order_by("-published_at", "-id").first()


class Change(NamedTuple):
    """One term in a comparison of two editions: its revision in each (None where it is absent)."""

    term_id: int
    old_revision_id: int | None
    new_revision_id: int | None
    sort_key: str
    slug: str


@dataclass
class EditionChanges:
    """What a reader of edition `old` finds different in edition `new`, each list in headword order."""

    old: Edition
    new: Edition
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    retired: list[Change] = field(default_factory=list)


def _entries(edition: Edition) -> dict[int, tuple[int, str, str]]:
    rows = EditionEntry.objects.filter(edition=edition).values_list("term_id", "revision_id", "sort_key", "slug")
    return {term_id: (revision_id, sort_key, slug) for term_id, revision_id, sort_key, slug in rows.iterator(2000)}


# Comparisons of editions are kept this long; editions never change, so a kept one never goes stale.
CHANGES_CACHE_SECONDS = 7 * 24 * 3600


def edition_changes(old: Edition, new: Edition) -> EditionChanges:
    """Terms added, changed (published at another revision) and gone between two editions.

    Ids only, not texts: the texts of the page of changes being shown are read by `revisions_by_id`.
    Computed once per pair and kept in the cache: anyone may ask for any pair, page after page.
    """
    changes = prepared_changes(old, new)
    if changes is None:
        changes = _compare(old, new)
        cache.set(_changes_key(old, new), changes, CHANGES_CACHE_SECONDS)
    return changes


def prepared_changes(old: Edition, new: Edition) -> EditionChanges | None:
    """The comparison of two editions if it was made already (nothing is computed here)."""
    changes: EditionChanges | None = cache.get(_changes_key(old, new))
    return changes


def _changes_key(old: Edition, new: Edition) -> str:
    return f"lexique:edition-changes:{old.pk}.{old.published_at.timestamp()}:{new.pk}.{new.published_at.timestamp()}"


def _compare(old: Edition, new: Edition) -> EditionChanges:
    before, after = _entries(old), _entries(new)
    changes = EditionChanges(old=old, new=new)
    for pk, (revision_id, sort_key, slug) in after.items():
        if pk not in before:
            changes.added.append(Change(pk, None, revision_id, sort_key, slug))
        elif before[pk][0] != revision_id:
            changes.changed.append(Change(pk, before[pk][0], revision_id, sort_key, slug))
    for pk, (revision_id, sort_key, slug) in before.items():
        if pk not in after:
            changes.retired.append(Change(pk, revision_id, None, sort_key, slug))
    for rows in (changes.added, changes.changed, changes.retired):
        rows.sort(key=lambda change: (change.sort_key, change.slug))
    return changes


def revisions_by_id(ids: Iterable[int | None]) -> dict[int, Revision]:
    """The revisions of `ids` by id (a change's missing side, None, names none)."""
    return Revision.objects.in_bulk([pk for pk in ids if pk is not None])


# Changed terms shown with their diffs on one page of a comparison.
CHANGES_PER_PAGE = 25
# What the diffs of one page may cost when a worker of the task queue prepares them (a reader's request
# has core.diff.PAGE_DIFF_BUDGET_SECONDS): enough for a page of long texts, whose result is then kept.
PREPARED_DIFF_BUDGET_SECONDS = 10.0


def page_number(raw: str | None) -> int:
    """The page of changed terms a reader asks for (?page=): a positive number, else the first."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and 0 < len(raw) <= 9 and int(raw) > 0 else 1


def last_page(old: Edition, new: Edition) -> int:
    """The last page of changed terms between two editions: counted from their comparison when it was made,
    else bounded by their sizes (a term changed is in both), without computing anything."""
    changes = prepared_changes(old, new)
    changed = len(changes.changed) if changes is not None else min(old.term_count, new.term_count)
    return max(1, math.ceil(changed / CHANGES_PER_PAGE))


def clamped_page(old: Edition, new: Edition, number: int) -> int:
    """Page `number` of the comparison as it is shown (a number past the end shows the last page): what names
    the work of preparing it, so that however many numbers a reader tries, one page is one task."""
    return min(max(1, number), last_page(old, new))


def comparison_task(old: Edition, new: Edition, number: int, language: str) -> tuple[str, int]:
    """(the id of the task preparing page `number` of the comparison in `language`, the page it prepares)."""
    number = clamped_page(old, new, number)
    return task_id("compare", f"{old.pk}:{new.pk}:{number}:{language}"), number


def comparison_page(changes: EditionChanges, number: int) -> Page[Change]:
    """One page of the changed terms (the last one for a number past the end)."""
    return Paginator(changes.changed, CHANGES_PER_PAGE).get_page(number)


def changed_fields(changes: EditionChanges, page: Iterable[Change], revisions: dict[int, Revision], *,
                   budget: DiffBudget | None = None) -> list[dict[str, list[Chunk]]]:
    """The word diffs of one page of changed terms (each as `revision_diff` gives it), in the page's order.

    The costly part of a comparison: computed once per pair of editions, page and language, then read from
    the cache by every later request (editions never change, so neither does what differs between two).
    """
    rows = list(page)
    key = _diffs_key(changes, rows)
    diffs: list[dict[str, list[Chunk]]] | None = cache.get(key)
    if diffs is None:
        # One budget for the whole page; a page cut short by it is shown coarser and not kept, so that
        # the next reader gets a complete one (each request's work stays bounded either way).
        budget = budget or DiffBudget()
        diffs = []
        for row in rows:
            before = revisions[row.old_revision_id] if row.old_revision_id is not None else None
            after = revisions[row.new_revision_id] if row.new_revision_id is not None else None
            diffs.append(revision_diff(labelled_content(before), labelled_content(after), budget=budget))
        if not budget.exhausted:
            cache.set(key, diffs, CHANGES_CACHE_SECONDS)
    return diffs


def _diffs_key(changes: EditionChanges, rows: list[Change]) -> str:
    """The cache key of one page's diffs, in the language being served (their labels are in it)."""
    old, new = changes.old, changes.new
    stamp = hashlib.sha256(" ".join(f"{row.old_revision_id}>{row.new_revision_id}" for row in rows).encode())
    return (f"lexique:edition-diffs:{old.pk}.{old.published_at.timestamp()}:{new.pk}.{new.published_at.timestamp()}:"
            f"{translation.get_language()}:{stamp.hexdigest()[:32]}")


def page_is_prepared(old: Edition, new: Edition, number: int) -> bool:
    """Whether page `number` of the comparison, in the language being served, can be shown from what is kept."""
    changes = prepared_changes(old, new)
    if changes is None:
        return False
    rows = list(comparison_page(changes, number))
    return not rows or cache.get(_diffs_key(changes, rows)) is not None


def prepare_comparison_page(old: Edition, new: Edition, number: int, language: str) -> None:
    """Compare two editions and the diffs of one page in `language`, and keep them (a task of the queue
    does this, with a larger budget than a request's: what it makes is complete and kept)."""
    with translation.override(language):
        changes = edition_changes(old, new)
        rows = list(comparison_page(changes, number))
        revisions = revisions_by_id(pk for row in rows for pk in (row.old_revision_id, row.new_revision_id))
        changed_fields(changes, rows, revisions, budget=DiffBudget(PREPARED_DIFF_BUDGET_SECONDS))


# --- Terms as an edition had them, for the API ---------------------------------------------------

@dataclass
class FrozenDomain:
    slug: str
    name_fr: str
    name_en: str


@dataclass
class FrozenRelated:
    slug: str
    headword_fr: str
    headword_en: str


class FrozenTerm:
    """A term as an edition holds it, with the attributes the API's term representation reads."""

    def __init__(self, entry: EditionEntry, revision: Revision, domains: list[FrozenDomain],
                 related: list[FrozenRelated]) -> None:
        self.slug = entry.slug
        self.current_revision_id = revision.pk
        self.first_published_at = entry.first_published_at
        self.updated_at = revision.reviewed_at
        self.category = revision.category
        for name in GRAMMAR_FIELD_NAMES:
            setattr(self, name, getattr(revision, name))
        self.synonyms = revision.synonyms
        self.sources = revision.sources
        self.domains = domains
        self.related = related
        for lang in ("fr", "en"):
            for name in ("headword", "definition", "examples", "notes"):
                setattr(self, f"{name}_{lang}", getattr(revision, f"{name}_{lang}") or "")
            self.__dict__[f"definition_html_{lang}"] = revision.html("definition", lang)

    def get_absolute_url(self) -> str:
        # The term's page lives on; a later retirement makes it a 404, as any retired term.
        with translation.override(translation.get_language()):
            return reverse("lexique:term", kwargs={"slug": self.slug})


def edition_entries(edition: Edition) -> QuerySet[EditionEntry]:
    return EditionEntry.objects.filter(edition=edition).order_by("sort_key", "slug")


def frozen_terms(edition: Edition, entries: Iterable[EditionEntry]) -> list[FrozenTerm]:
    """The terms of `entries` (of `edition`) as it holds them: a fixed number of queries for a page."""
    entries = list(entries)
    revisions = Revision.objects.in_bulk([entry.revision_id for entry in entries])
    domains = {row["slug"]: FrozenDomain(row["slug"], row["name_fr"], row["name_en"]) for row in edition.domains}
    wanted = {slug for entry in entries for slug in entry.related_slugs}
    related = {}
    for slug, headword_fr, headword_en in EditionEntry.objects.filter(edition=edition, slug__in=wanted).values_list(
        "slug", "revision__headword_fr", "revision__headword_en"
    ):
        related[slug] = FrozenRelated(slug, headword_fr, headword_en or "")
    return [
        FrozenTerm(
            entry, revisions[entry.revision_id],
            [domains[slug] for slug in entry.domain_slugs if slug in domains],
            [related[slug] for slug in entry.related_slugs if slug in related],
        )
        for entry in entries
    ]


def prepare_comparison(edition: Edition) -> None:
    """Compare `edition` with the one before it, and the first page of its diffs in each language, and keep
    them where the comparison page reads them."""
    previous = previous_edition(edition)
    if previous is not None:
        for language, _name in settings.LANGUAGES:
            prepare_comparison_page(previous, edition, 1, language)
