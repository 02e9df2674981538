"""Search as readers and contributors meet it: ranked results, "did you mean", suggestions, similar proposals.

The one ranking of the site, the same on every database and for the web pages and the API alike
(docs/search.md): candidates come from the indexes (lexique.search.queries) and `rank` orders them,
exact headword or synonym first (the reader's language, then the other), then abbreviations,
headwords that start with the query, headwords that hold its words, full text in definitions; then
terms that hold only some of the words, and last the results of the query with its typos corrected.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, CharField, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, StrIndex
from django.utils.formats import number_format

from lexique.models import Term
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.search.filters import DESIGNATION_FACETS, Designation, MatchMode, SearchFilters, designations
from lexique.search.indexes import CORRECTED_WORDS
from lexique.search.keys import (
    COUNT_LIMIT,
    DEARER_MATCHES_BELOW,
    DID_YOU_MEAN_EXTRA_EDITS,
    SEARCH_CANDIDATES,
    TYPO_MIN_LENGTH,
    allowed_edits,
    bare_word,
    close_matches,
    folded,
    initials,
    key_variants,
    match_words,
    query_key,
    singular,
    typed_words,
)
from lexique.search.queries import (
    candidate_ids,
    count_holding,
    headword_spelling,
    headwords_containing,
    known_words,
    ranking_candidates,
    typo_matches,
    vocabulary_lookup,
    word_is_found,
)
from lexique.search.suggestions import designation_ids, typed_key

SUGGESTION_COUNT = 8
# The rank of a headword of the reader's language that starts with what was typed (only the exact
# headword ranks higher).
STARTS_WITH_KEY = 5

# A search ranks bounded candidate sets; its results are never paged past this many.
SEARCH_RESULTS_LIMIT = 1000
# The stages of a search, in the order their results come (see `search`).
ALL_WORDS, SOME_WORDS, CORRECTED, CLOSE_HEADWORDS = range(4)
# The query's words that are at least this long may fall back to those found ("digital asset": "digital").
FALLBACK_WORD_LENGTH = 3


@dataclass(frozen=True)
class Query:
    """A reader's query in the forms the ranking compares."""

    key: str  # normalised: 'Données*' -> 'donnees'
    folded: str  # elisions dropped, each word singular
    words: tuple[str, ...]  # what a term must hold (keys.match_words)

    @classmethod
    def of(cls, text: str, words: list[str] | None = None) -> Query:
        key = query_key(text)
        return cls(key=key, folded=folded(key), words=tuple(match_words(key) if words is None else words))


# A term's place among a query's results (see `rank`): smaller first.
Place = tuple[int, int, int, int, str]


def rank(query: Query, lang: str, sort_key: str, sort_key_english: str, synonyms: Any,
         holds_words: bool = True) -> Place:
    """The place of one term among a query's results: a tuple, smaller first. THE ranking rule.

    1. its headword or a synonym is the query (accents, case, elisions and number aside), the reader's
       language first, then the other;
    2. the query is its abbreviation (the initials of its headword: 'ia', 'grc', 'crm');
    3. a headword or synonym starts with the query (the reader's language first);
    4. its headwords or synonyms hold every word of the query (the reader's language first);
    5. its text holds them (definitions);
    6. (terms that hold the words only partly or through a typo come after, see `search`.)
    Within a kind: the reader's language first, a headword before a synonym, then the shorter headword,
    then alphabetical order in the reader's language.
    """
    mine, other = (sort_key_english, sort_key) if lang == "en" else (sort_key, sort_key_english)
    names_mine, names_other = [mine], [other]
    for synonym in synonyms or []:
        if isinstance(synonym, dict) and synonym.get("text"):
            (names_mine if (synonym.get("lang") or "fr") == lang else names_other).append(query_key(synonym["text"]))

    def place(holds: Callable[[Query, str], bool]) -> tuple[int, int] | None:
        """(0 for the reader's language, 0 for a headword) of the first name that `holds` the query."""
        for side, names in enumerate((names_mine, names_other)):
            for is_synonym, group in enumerate((names[:1], names[1:])):
                if any(holds(query, name) for name in group):
                    return side, is_synonym
        return None

    if found := place(_is):
        return (0, *found, len(mine), mine)
    if query.key and " " not in query.key and len(query.key) >= 2:
        for side, name in enumerate((mine, other)):
            if initials(name) == query.key:
                return (1, side, 0, len(mine), mine)
    if found := place(_starts):
        return (2, *found, len(mine), mine)
    if found := place(_holds_all):
        return (3, *found, len(mine), mine)
    return (4 if holds_words else 5, 0, 0, len(mine), mine)


def _is(query: Query, name: str) -> bool:
    return name == query.key or folded(name) == query.folded


def _starts(query: Query, name: str) -> bool:
    return name.startswith(query.key) or folded(name).startswith(query.folded)


def _holds_all(query: Query, name: str) -> bool:
    return bool(query.words) and all(word in name for word in query.words)


class _RankedIds(Sequence[Term]):
    """Results held as ranked ids, read once: a page's rows are then read by id, in rank order."""

    ids: list[int]

    def _rows(self, ids: list[int]) -> QuerySet[Term]:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Term: ...

    @overload
    def __getitem__(self, index: slice) -> list[Term]: ...

    def __getitem__(self, index: int | slice) -> Term | list[Term]:
        if not isinstance(index, slice):
            return self[index:index + 1 or None][0]
        ids = self.ids[index]
        rows = {term.pk: term for term in self._rows(ids)}
        return [rows[pk] for pk in ids if pk in rows]


@dataclass
class SearchResults(_RankedIds):
    """A search's results: ranked ids, read once; a page's rows read by id.

    `total` is the number of matches, counted up to keys.COUNT_LIMIT (`capped` past it); pages go as
    far as the ranked candidates. `words_used` is set when only some of the query's words were found.
    With filters or a match mode, `total` counts the matches among the bounded candidates (`at_least` when
    the candidates were cut, so that more may match). `facets` (when asked for) counts the results by each
    filter's values, {facet: {value: count}}, each facet without its own filter, among the same candidates
    (`facets_bounded` when they were cut).
    """

    terms: QuerySet[Term]
    ids: list[int] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    at_least: bool = False
    words_used: list[str] | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    facets_bounded: bool = False

    @property
    def total_shown(self) -> str:
        """The count as the reader's language writes numbers ("1 000", "1,000")."""
        return number_format(self.total, force_grouping=True)

    def _rows(self, ids: list[int]) -> QuerySet[Term]:
        return self.terms.order_by().filter(pk__in=ids).prefetch_related("domains")


def _ranked_stage(terms: QuerySet[Term], query: Query, lang: str,
                  stage: int) -> tuple[list[tuple[tuple[Any, ...], int]], int | None]:
    """The stage's ranked candidates, and how many terms hold all its words (up to COUNT_LIMIT + 1)."""
    rows, holding = ranking_candidates(terms, variants=key_variants(query.key) if query.key else [], key=query.key,
                                       words=list(query.words), lang=lang, limit=SEARCH_CANDIDATES)
    return [((stage, *rank(query, lang, sort_key, english, synonyms, holds)), pk)
            for pk, sort_key, english, synonyms, holds in rows], holding


def corrected_query(terms: QuerySet[Term], query: Query) -> str | None:
    """The query (key form) with each word unknown to the vocabulary of headwords replaced by the closest
    known word; None when nothing needs correcting or nothing is close enough."""
    words = query.key.split()
    checkable = [bare_word(word) for word in words]
    # At most CORRECTED_WORDS words are looked up (one index read each): past them, words stand as typed.
    checkable = list(dict.fromkeys(word for word in checkable if len(word) >= TYPO_MIN_LENGTH and word.isalnum()))
    checkable = checkable[:CORRECTED_WORDS]
    forms = {word: list(dict.fromkeys((word, singular(word), word + "s"))) for word in checkable}
    # The known words first, all in one read of the vocabulary's key: most queries are spelled right,
    # and only the others need its (dearer) trigram index.
    known_forms = known_words(form for word in checkable for form in forms[word])
    corrections = {}
    for word in checkable:
        if known_forms.intersection(forms[word]):
            continue
        known, neighbours = vocabulary_lookup(terms, word, forms[word])
        if not known:
            corrections[word] = _closest(word, neighbours)
    if not any(corrections.values()):
        return None
    corrected = []
    for word in words:
        bare = bare_word(word)
        best = corrections.get(bare)
        corrected.append(word[: len(word) - len(bare)] + best if best else word)
    return " ".join(corrected)


def _closest(word: str, neighbours: list[str]) -> str | None:
    found = close_matches(word, list(enumerate(neighbours)), limit=allowed_edits(word) + DID_YOU_MEAN_EXTRA_EDITS)
    if not found:
        return None
    return neighbours[min(found, key=lambda index: (found[index], index))]


def search(query: str, *, lang: str = "fr", terms: QuerySet[Term] | None = None, domain: str | None = None,
           limit: int | None = None, filters: SearchFilters | None = None, facets: bool = False) -> SearchResults:
    """The ranked results of a query among `terms` (the published terms by default).

    Stages, each only while the ones before found nothing better: the terms that hold every word of
    the query, ranked by `rank`; when none does, those that hold the words that are found; when the
    query's words are not all known and few terms were found, the results of the corrected query, then
    headwords a few typing mistakes away.

    With a match mode (`filters.mode`), the candidates are instead the terms with a headword or synonym
    that is the query, starts with it or contains it, ranked by `rank`. The language, status and region
    filters then keep the results with a designation that matches and has them (lexique.search.filters);
    `facets` counts the results by each filter's values.
    """
    terms = Term.objects.published() if terms is None else terms
    filters = filters or SearchFilters()
    domain = domain or filters.domain or None
    if domain:
        terms = terms.filter(domains__slug=domain)
    parsed = Query.of(query)
    results = SearchResults(terms=terms)
    if not parsed.key:
        return results
    if filters.mode:
        cut = _match_mode(results, query, parsed, filters.mode, lang)
    else:
        _ranked_search(results, terms, query, parsed, lang, None if filters.narrows else limit)
        cut = results.capped or results.total > len(results.ids)
    if filters.narrows or facets:
        _filter_and_count(results, query, parsed, filters, cut=cut, facets=facets)
        results.ids = results.ids[: limit or SEARCH_RESULTS_LIMIT]
    return results


def _ranked_search(results: SearchResults, terms: QuerySet[Term], query: str, parsed: Query, lang: str,
                   limit: int | None) -> None:
    """The site's ranking (see `search`), into `results`."""
    ranked, holding = _ranked_stage(terms, parsed, lang, ALL_WORDS)
    words = list(parsed.words)
    if not ranked:
        # Each word looked for alone (one index read each), the first CORRECTED_WORDS of them at most.
        long_words = [word for word in words if len(word) >= FALLBACK_WORD_LENGTH][:CORRECTED_WORDS]
        found = [word for word in long_words if word_is_found(terms, word)]
        every_word_found = bool(found) and found == words
        if every_word_found and len(found) > 1:
            # Each word is in the texts, never all together ("patrimoine musées"): the longest, the
            # likeliest to say what was meant, stands for the query, and the page says so.
            found = [max(found, key=len)]
        if found and found != words:
            words = found
            results.words_used = found
            ranked, holding = _ranked_stage(terms, Query.of(query, found), lang, SOME_WORDS)
    else:
        every_word_found = True
    if len(ranked) < DEARER_MATCHES_BELOW:
        correction = corrected_query(terms, parsed)
        if correction:
            ranked += _ranked_stage(terms, Query.of(correction), lang, CORRECTED)[0]
        # Headwords a few typos from the whole query: only for a query that holds a word no text holds
        # (a mistyped one); otherwise the measure of the whole key against every headword is wasted.
        if not ranked and not every_word_found:
            typos = typo_matches(terms, parsed.key)
            ranked += [((CLOSE_HEADWORDS, distance), pk) for pk, distance in typos.items()]
    ids = list(dict.fromkeys(pk for _place, pk in sorted(ranked, key=lambda item: (item[0], item[1]))))
    results.ids = ids[: limit or SEARCH_RESULTS_LIMIT]
    if sum(1 for place, _pk in ranked if place[0] == ranked[0][0][0]) >= SEARCH_CANDIDATES and words:
        # Counted with the candidates of the stage of `words`, unless only a correction found them.
        counted = holding if holding is not None and ranked[0][0][0] != CORRECTED else count_holding(
            terms, words, COUNT_LIMIT)
        results.total, results.capped = min(counted, COUNT_LIMIT), counted > COUNT_LIMIT
    else:
        results.total = len(ids)


# The rows a term's designations are read from.
_DESIGNATION_FIELDS = ("pk", "sort_key", "sort_key_english", "synonyms", "headword_fr", "headword_en", "region_fr",
                       "region_en")


def _designation_rows(terms: QuerySet[Term], ids: Sequence[int]) -> dict[int, tuple[str, str, Any, list[Designation]]]:
    """{id: (sort_key, sort_key_english, synonyms, designations)} of the terms among `ids` (read by id)."""
    rows = terms.order_by().filter(pk__in=list(ids)).values_list(*_DESIGNATION_FIELDS)
    return {pk: (sort_key, english, synonyms, designations(fr, en, region_fr, region_en, synonyms))
            for pk, sort_key, english, synonyms, fr, en, region_fr, region_en in rows}


def _match_mode(results: SearchResults, query: str, parsed: Query, mode: str, lang: str) -> bool:
    """The terms with a headword or synonym that is the query, starts with it or contains it (`mode`), ranked
    by `rank`, into `results`; whether a range of candidates was cut (more may match)."""
    key = typed_key(query)
    if not key:
        return False
    ids, cut = designation_ids(key, mode=mode, limit=SEARCH_CANDIDATES)
    if mode == MatchMode.CONTAINS and len(parsed.key) >= 2:
        inside = list(headwords_containing(results.terms, parsed.key).order_by().values_list("pk", flat=True)[
            :SEARCH_CANDIDATES])
        cut = cut or len(inside) >= SEARCH_CANDIDATES
        ids = list(dict.fromkeys(ids + inside))
    rows = _designation_rows(results.terms, ids)
    found = [
        (rank(parsed, lang, sort_key, english, synonyms), pk)
        for pk, (sort_key, english, synonyms, names) in rows.items()
        if any(_matches_in_mode(key, mode, name) for name in names)
    ]
    results.ids = [pk for _place, pk in sorted(found)]
    results.total = len(results.ids)
    return cut


def _matches_in_mode(key: str, mode: str, designation: Designation) -> bool:
    text = typed_key(designation.text)
    if mode == MatchMode.EXACT:
        return text == key
    if mode == MatchMode.STARTS:
        return text.startswith(key)
    return key in text


def _matches_ranked(query: Query, designation: Designation) -> bool:
    """Whether the ranking finds the query in this headword or synonym (not only in a definition)."""
    name = query_key(designation.text)
    return (_is(query, name) or _starts(query, name) or _holds_all(query, name)
            or (len(query.key) >= 2 and initials(name) == query.key))


def _passes(designation: Designation, wanted: dict[str, str]) -> bool:
    return all(designation.value(facet) == value for facet, value in wanted.items())


def _filter_and_count(results: SearchResults, query: str, parsed: Query, filters: SearchFilters, *, cut: bool,
                      facets: bool) -> None:
    """Keep the results that pass the filters and count them by filter values (see SearchResults), among the
    results found (at most SEARCH_RESULTS_LIMIT: bounded whatever the size of the lexicon)."""
    rows = _designation_rows(results.terms, results.ids)
    key = typed_key(query)
    matched: dict[int, list[Designation]] = {}
    for pk in results.ids:
        if pk not in rows:
            continue
        names = rows[pk][3]
        if filters.mode:
            matched[pk] = [name for name in names if _matches_in_mode(key, filters.mode, name)]
        else:  # found in a definition, or through a corrected spelling: all its designations stand for it
            matched[pk] = [name for name in names if _matches_ranked(parsed, name)] or names
    wanted = filters.designation_filters
    kept = [pk for pk in results.ids if any(_passes(name, wanted) for name in matched.get(pk, []))]
    if filters.narrows:
        results.ids, results.total, results.at_least = kept, len(kept), cut
        results.capped = False
    if not facets:
        return
    results.facets_bounded = cut
    for facet in DESIGNATION_FACETS:
        others = filters.without(facet).designation_filters
        counts: Counter[str] = Counter()
        for names in matched.values():
            counts.update({name.value(facet) for name in names if _passes(name, others)} - {""})
        results.facets[facet] = dict(counts)
    memberships = Term.domains.through.objects.filter(term_id__in=kept).values_list("term_id", "domain__slug")
    results.facets["domain"] = dict(Counter(slug for _pk, slug in memberships))


def matching_terms(terms: QuerySet[Term], query: str, *, lang: str = "fr") -> QuerySet[Term]:
    """`terms` that match `query`, in the order of `search` (what the API's filter and tests read)."""
    return in_ranked_order(terms, search(query, lang=lang, terms=terms).ids)


def in_ranked_order(terms: QuerySet[Term], ids: list[int]) -> QuerySet[Term]:
    """`terms` among `ids`, in the order of `ids` (a search's ranked results as a queryset)."""
    if not ids:
        return terms.filter(pk__in=[])
    order = ",".join(str(pk) for pk in ids)
    position = StrIndex(Value(f",{order},"), Concat(Value(","), Cast("pk", CharField()), Value(",")))
    return terms.filter(pk__in=ids).order_by(position)


class RankedResults(_RankedIds):
    """The results of a queryset already in the ranking's order (`ranked_terms`), read once as ids: counted
    and cut here, a page's rows then read by id. For the API's pages, so that a search never runs twice."""

    def __init__(self, results: QuerySet[Term], limit: int = SEARCH_RESULTS_LIMIT) -> None:
        self.results = results
        ranked = results.values_list("pk", flat=True)[:limit]
        self.ids: list[int] = []
        try:
            sql, params = ranked.query.get_compiler(using=ranked.db).as_sql()
        except EmptyResultSet:  # no candidate at all
            return
        with connections[ranked.db].cursor() as cursor:
            cursor.execute(sql, params)
            self.ids = [row[0] for row in cursor.fetchall()]

    def _rows(self, ids: list[int]) -> QuerySet[Term]:
        return self.results.order_by().filter(pk__in=ids)


def did_you_mean(query: str, *, lang: str = "fr", terms: QuerySet[Term] | None = None) -> str | None:
    """The query as the reader probably meant it, or None: each word that no headword holds (in either
    number) replaced by the closest word of the headwords, spelled as they spell it ('metadonees' ->
    'métadonnées'); a word the headwords hold only in the other number and with accents the reader left
    out is spelled as they spell it too ('metadonnee' -> 'métadonnées'). Never for known words."""
    terms = Term.objects.published() if terms is None else terms
    parsed = Query.of(query)
    words = parsed.key.split()
    if not words:
        return None
    correction = corrected_query(terms, parsed)
    corrected = correction.split() if correction else list(words)
    bare = [bare_word(word) for word in corrected]
    exact = known_words([word for word in bare if len(word) >= TYPO_MIN_LENGTH])
    typed = typed_words(query)
    suggestion, changed = [], False
    # A word repeated in the query is looked up once.
    spellings: dict[tuple[str, str, str], str | None] = {}
    for position, word in enumerate(corrected):
        original = typed[position] if len(typed) == len(words) else word
        asked = (word, words[position], original)
        if asked not in spellings:
            spellings[asked] = None
            if word != words[position]:
                spellings[asked] = headword_spelling(terms, bare[position]) or bare[position]
            elif len(bare[position]) >= TYPO_MIN_LENGTH and bare[position].isalnum() and bare[position] not in exact:
                spellings[asked] = _spelling_in_other_number(terms, bare[position], bare_word(original))
        spelled = spellings[asked]
        if spelled:
            spelled = original[: len(original) - len(bare_word(original))] + spelled
        if spelled and spelled.casefold() != original.casefold():
            suggestion.append(spelled)
            changed = True
        else:
            suggestion.append(original)
    return " ".join(suggestion) if changed else None


def _spelling_in_other_number(terms: QuerySet[Term], word: str, typed: str) -> str | None:
    """For a word the headwords hold only in the other number: their spelling when it differs from the
    typed one by more than the number (accents: 'metadonnee' -> 'métadonnées', but 'museum' -> None)."""
    for form in dict.fromkeys((singular(word), word + "s")):
        if form == word or not known_words([form]):
            continue
        spelled = headword_spelling(terms, form)
        if spelled and singular(spelled.casefold()) != singular(typed.casefold()):
            return spelled
        return None
    return None


def _headword_matches(terms: QuerySet[Term], key: str, lang: str, limit: int) -> list[Term]:
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
        return list(found)  # a list of terms, to which callers add others
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
