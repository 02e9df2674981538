"""Search as readers and contributors meet it: ranked results, "did you mean", suggestions, similar proposals.

One ranking on every database: candidates come from the indexes (lexique.search.queries), and only
they are ranked, exact headword first, then headword prefix, substring, typos and full-text rank.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from lexique.models import Term
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.models.term import TermQuerySet
from lexique.search.keys import (
    DID_YOU_MEAN_EXTRA_EDITS,
    SEARCH_CANDIDATES,
    SEARCH_PAGE_SIZE,
    allowed_edits,
    close_matches,
    query_key,
)
from lexique.search.queries import (
    candidate_ids,
    headwords_containing,
    matching_terms,
    names_known_words,
    typo_candidates,
    typo_matches,
)

SUGGESTION_COUNT = 8
# The rank of a headword of the reader's language that starts with what was typed (only the exact
# headword ranks higher).
STARTS_WITH_KEY = 5

def search_terms(query: str, *, domain: str | None = None, lang: str = "fr") -> QuerySet[Term]:
    terms = matching_terms(Term.objects.published(), query, lang=lang)
    if domain:
        terms = terms.filter(domains__slug=domain)
    return terms.prefetch_related("domains")


# A search ranks bounded candidate sets; its results are never counted or paged past this many (a page
# says "more than N results" rather than count every match of a common word).
SEARCH_RESULTS_LIMIT = 1000


class RankedResults(Sequence[Term]):
    """A search's results, read once as ranked ids (the ranking runs in the database, over the bounded
    candidates, and only ids come back): counted and cut here, a page's rows then read by id.

    For the web pages and the API alike, so that a search never runs twice (once more to count).
    """

    def __init__(self, results: QuerySet[Term], limit: int = SEARCH_RESULTS_LIMIT):
        self.results = results
        # Through the driver: hundreds of bare ids need no model layer (modeltranslation's iterator
        # costs more than the query).
        ranked = results.values_list("pk", flat=True)[:limit]
        self.ids: list[int] = []
        try:
            sql, params = ranked.query.get_compiler(using=ranked.db).as_sql()
        except EmptyResultSet:  # no candidate at all
            return
        with connections[ranked.db].cursor() as cursor:
            cursor.execute(sql, params)
            self.ids = [row[0] for row in cursor.fetchall()]

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):  # type: ignore[override]
        if not isinstance(index, slice):
            return self[index:index + 1 or None][0]
        ids = self.ids[index]
        rows = {term.pk: term for term in self.results.order_by().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


def did_you_mean(query: str, *, lang: str = "fr", results: Sequence[Term] = ()) -> Term | None:
    """The published term whose headword is closest to a query that names none exactly, if one is close.

    `results` is the search's first page, when the caller has it: the search ranks headwords that hold
    the query, then those a few typing mistakes away, first, so the closest headword is looked for among
    them (no further query); only when none is close and the best result's headword does not hold the
    query, among the headwords that share the most trigrams with the query, read from an index.
    """
    key = query_key(query)
    limit = allowed_edits(key)
    if not limit or Term.objects.published().filter(Q(sort_key=key) | Q(sort_key_english=key)).exists():
        return None
    field = "sort_key_english" if lang == "en" else "sort_key"
    other = "sort_key" if lang == "en" else "sort_key_english"
    closest = _closest(key, [(term.pk, getattr(term, field), getattr(term, other)) for term in results], limit)
    holds_key = bool(results) and (key in results[0].sort_key or key in results[0].sort_key_english)
    if closest is None and (holds_key or len(results) >= SEARCH_PAGE_SIZE or names_known_words(key)):
        return None  # a best result that holds the query, a full page, known words: nothing was mistyped
    if closest is None:
        position = {"sort_key": 1, "sort_key_english": 2}
        candidates = typo_candidates(Term.objects.published().order_by(), key)
        closest = _closest(key, [(row[0], row[position[field]], row[position[other]]) for row in candidates], limit)
    if closest is None or closest[1] == 0:
        return None  # nothing close, or a headword holds the query word for word: nothing was mistyped
    pk = closest[0]
    return next((term for term in results if term.pk == pk), None) or Term.objects.get(pk=pk)


def _closest(key: str, rows: list[tuple[int, str, str]], limit: int) -> tuple[int, int] | None:
    """(id, edits) of the row (id, headword, other language's headword) closest to `key`, if one is close."""
    # The reader's language first: on equal distance, its headword wins.
    found = close_matches(key, [(pk, name) for pk, name, _other in rows], limit=limit + DID_YOU_MEAN_EXTRA_EDITS)
    if not found:
        found = close_matches(key, [(pk, name) for pk, _name, name in rows], limit=limit + DID_YOU_MEAN_EXTRA_EDITS)
    if not found:
        return None
    best = min(found, key=lambda pk: (found[pk], pk))
    return best, found[best]


def _headword_matches(terms: TermQuerySet, key: str, lang: str, limit: int) -> list[Term]:
    """The first `limit` of `terms` whose French or English headword holds `key`, the reader's language's
    headwords first."""
    field = "sort_key_english" if lang == "en" else "sort_key"
    other = "sort_key" if lang == "en" else "sort_key_english"
    rank = Case(
        When(**{field: key}, then=Value(6)),
        When(**{f"{field}__startswith": key}, then=Value(STARTS_WITH_KEY)),
        When(**{f"{field}__contains": f" {key}"}, then=Value(4)),
        When(**{f"{other}__startswith": key}, then=Value(3)),
        When(**{f"{field}__contains": key}, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    # Only a bounded set of candidates is ranked, each kind read from its index: a prefix that a tenth
    # of a huge lexicon shares costs what a rare one does. The reader's language's headwords that start
    # with the key outrank every other kind: when they fill the list, the dearer substring search
    # (trigrams) is not needed.
    ids = candidate_ids(terms, key, field, [])
    found = list(terms.filter(pk__in=ids).annotate(suggestion_rank=rank).order_by("-suggestion_rank", field)[:limit])
    if len(found) == limit and found[-1].suggestion_rank >= STARTS_WITH_KEY:
        return found
    ids |= set(headwords_containing(terms, key).order_by().values_list("pk", flat=True)[:SEARCH_CANDIDATES])
    return list(terms.filter(pk__in=ids).annotate(suggestion_rank=rank).order_by("-suggestion_rank", field)[:limit])


def suggest_terms(query: str, *, lang: str = "fr", limit: int = SUGGESTION_COUNT) -> list[Term]:
    """As-you-type suggestions: published terms by headword, then headwords a typo away."""
    key = query_key(query)
    if len(key) < 2:
        return []
    published = Term.objects.published()
    terms = _headword_matches(published, key, lang, limit)
    if len(terms) < limit:
        seen = {term.pk for term in terms}
        typos = {pk: distance for pk, distance in typo_matches(published, key).items() if pk not in seen}
        extra = sorted(published.filter(pk__in=list(typos)), key=lambda term: (typos[term.pk], term.sort_key))
        terms += extra[: limit - len(terms)]
    return terms


def similar_proposals(headword: str, *, limit: int = 5) -> list[Term]:
    """New terms proposed but not yet published whose headword holds `headword` or is a typo away."""
    key = query_key(headword)
    if len(key) < 2:
        return []
    drafts = Term.objects.filter(
        status=Term.Status.DRAFT, revisions__state__in=OPEN_PROPOSAL_STATES
    ).distinct()
    terms = _headword_matches(drafts, key, "fr", limit)
    if len(terms) < limit:
        seen = {term.pk for term in terms}
        typos = [pk for pk in typo_matches(drafts, key) if pk not in seen]
        terms += list(drafts.filter(pk__in=typos).order_by("sort_key")[: limit - len(terms)])
    return terms
