"""Searching the terms through the indexes each database keeps: candidates read from an index, then ranked.

Each function takes the queryset to search (the published terms, or the drafts) and returns ids, rows
or a queryset of it.
"""
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Length

from lexique.models import Term
from lexique.search.indexes import (
    CORRECTIONS_PER_WORD,
    FTS_TABLE,
    TEXT_VOCABULARY_TABLE,
    TEXT_WORDS_PER_QUERY_WORD,
    VOCABULARY_TABLE,
)
from lexique.search.keys import (
    COUNT_LIMIT,
    SEARCH_CANDIDATES,
    TRIGRAM_LENGTH,
    TYPO_CANDIDATES,
    TYPO_MAX_MATCHES,
    TYPO_MIN_LENGTH,
    allowed_edits,
    close_matches,
    query_key,
)

# A part of a union of candidates: a queryset of ids, or (sql, params).
CandidatePart = QuerySet[Any, Any] | tuple[str, Sequence[Any]]


def _quoted(text: str) -> str:
    """An FTS5 string: the text as it is, whatever operators it holds."""
    return '"' + text.replace('"', '""') + '"'


def _words(key: str) -> list[str]:
    """The words of a query key, as the vocabulary of headword words splits them."""
    return [word for word in re.split(r"[^\w]+", key) if word]


def _correctable(words: Iterable[str]) -> list[str]:
    """Those long enough to be mistyped (shorter ones have too many neighbours to correct)."""
    return [word for word in words if len(word) >= TYPO_MIN_LENGTH]


def _pieces(key: str, edits: int) -> list[str]:
    """`key` cut into edits + 1 pieces of at least three letters (none when it is too short for that)."""
    count = edits + 1
    if len(key) < TRIGRAM_LENGTH * count:
        return []
    size, extra = divmod(len(key), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        pieces.append(key[start:end])
        start = end
    return pieces


def candidate_ids(terms: QuerySet[Term], key: str, sort_field: str, matches: Sequence[CandidatePart]) -> set[int]:
    """The ids worth ranking (see bounded_candidates), read in one query: the count of the results
    and their page then cost a lookup by primary key, not the candidates' search again."""
    candidates = bounded_candidates(terms, key, sort_field, matches)
    with connection.cursor() as cursor:
        cursor.execute(candidates.sql, candidates.params)
        return {row[0] for row in cursor.fetchall()}


def bounded_candidates(terms: QuerySet[Term], key: str, sort_field: str, matches: Sequence[CandidatePart]) -> RawSQL:
    """A subquery of the ids worth ranking: the exact and prefix headwords of `key`, then `matches`
    (querysets or (sql, params)), each bounded by SEARCH_CANDIDATES."""
    parts: list[CandidatePart] = [
        terms.order_by().filter(Q(sort_key=key) | Q(sort_key_english=key)).values("pk"),
        # No ORDER BY: the prefix's own index (pattern_ops, or a key range on SQLite) hands rows in key
        # order already, where an ORDER BY would make the planner walk the whole btree from 'a'.
        _starting_with_key(terms, key, sort_field).order_by().values("pk"),
        *matches,
    ]
    sqls: list[str] = []
    params: list[Any] = []
    for part in parts:
        if isinstance(part, tuple):
            sql, part_params = part
        else:
            sql, part_params = part[:SEARCH_CANDIDATES].query.sql_with_params()
        # Wrapped, so that each part keeps its own LIMIT (SQLite allows no parenthesised UNION member).
        sqls.append(f"SELECT * FROM ({sql}) AS candidate")
        params += list(part_params)
    return RawSQL(" UNION ".join(sqls), params)


def _starting_with_key(terms: QuerySet[Term], key: str, field: str) -> QuerySet[Term]:
    if connection.vendor == "postgresql":
        # LIKE 'key%' is served by a range of Django's pattern_ops index, from the whole table (the outer
        # query keeps the published ones): with a LIMIT, the published set's partial btree tempts the
        # planner into walking it from 'a', testing every headword, when the key's are far down.
        return terms.model.objects.filter(**{f"{field}__startswith": key})
    # SQLite's LIKE ignores case, so its indexes cannot serve it: a range of the (binary) key instead.
    return terms.filter(**{f"{field}__gte": key, f"{field}__lt": key + "\U0010ffff"})


def headwords_containing(terms: QuerySet[Term], key: str) -> QuerySet[Term]:
    """Terms whose French or English headword holds `key` (starts with it, for a key too short for
    trigrams), found through an index on every database."""
    if len(key) < TRIGRAM_LENGTH:
        return terms.filter(Q(sort_key__startswith=key) | Q(sort_key_english__startswith=key))
    if connection.vendor == "postgresql":  # the trigram indexes serve LIKE '%key%'
        return terms.filter(Q(sort_key__contains=key) | Q(sort_key_english__contains=key))
    match = "{sort_key sort_key_english} : " + _quoted(key)
    return terms.filter(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))


def typo_candidates(terms: QuerySet[Term], key: str) -> list[tuple[int, str, str]]:
    """[(id, sort_key, sort_key_english)] of the terms whose headwords share the most trigrams with
    `key`, from the index: what the typo pass measures, whatever the size of the lexicon."""
    if len(key) < TRIGRAM_LENGTH:
        return []
    if connection.vendor == "postgresql":
        similar = similar_headwords(terms, key).values_list("pk", "sort_key", "sort_key_english")
        return list(similar[:TYPO_CANDIDATES])
    pieces = _pieces(key, allowed_edits(key))
    if pieces:
        # A headword within k edits of the key holds one of its k + 1 pieces unchanged (pigeonhole):
        # phrases of several trigrams, selective enough to need no ranking.
        match = "{sort_key sort_key_english} : (" + " OR ".join(_quoted(piece) for piece in pieces) + ")"
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {TYPO_CANDIDATES}"
    else:  # too short to cut: the headwords that share the most trigrams with it
        grams = dict.fromkeys(key[i:i + TRIGRAM_LENGTH] for i in range(len(key) - TRIGRAM_LENGTH + 1))
        match = "{sort_key sort_key_english} : (" + " OR ".join(_quoted(gram) for gram in grams) + ")"
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT {TYPO_CANDIDATES}"
    return list(terms.filter(pk__in=RawSQL(sql, [match])).values_list("pk", "sort_key", "sort_key_english"))


def similar_headwords(terms: QuerySet[Term], key: str) -> QuerySet[Term]:
    """PostgreSQL: terms with a headword close to `key` (pg_trgm's `%>`, served by the trigram indexes),
    closest first."""
    close = terms.model.objects.order_by().filter(  # the whole table: see _postgresql_search
        Q(TrigramWordSimilar(F("sort_key"), Value(key))) | Q(TrigramWordSimilar(F("sort_key_english"), Value(key)))
    ).values("pk")[:SEARCH_CANDIDATES]
    return terms.filter(pk__in=close).annotate(
        closeness=Greatest(TrigramWordSimilarity(key, "sort_key"),
                           TrigramWordSimilarity(key, "sort_key_english"))
    ).order_by("-closeness", "pk")


def typo_matches(terms: QuerySet[Term], key: str) -> dict[int, int]:
    """{id: edits} of the terms whose French or English headword is a few typing mistakes from `key`."""
    if not allowed_edits(key):
        return {}
    rows = typo_candidates(terms.order_by(), key)
    found = close_matches(key, ((pk, name) for pk, *names in rows for name in dict.fromkeys(names)))
    return dict(sorted(found.items(), key=lambda item: item[1])[:TYPO_MAX_MATCHES])


# --- Candidates of the ranking (lexique.search.ranking), each kind read from an index ------------------

class HoldsOneOf(Func):
    """PostgreSQL: the text's words (`search_document`) include one of these lexemes, taken as they are."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, lexemes: list[str]) -> None:
        quoted = " | ".join("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
        super().__init__(F("search_document"), Func(Value(quoted), template="(%(expressions)s)::tsquery"))


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_words_holding(word: str) -> list[str] | None:
    """PostgreSQL: the words of the search texts that hold `word` (that start with it, for a word too
    short for trigrams), from the small table of text words; None when more than
    TEXT_WORDS_PER_QUERY_WORD do (a piece so common that its trigram index serves it as well)."""
    escaped = _like_escaped(word)
    pattern = f"%{escaped}%" if len(word) >= TRIGRAM_LENGTH else f"{escaped}%"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {TEXT_VOCABULARY_TABLE} WHERE word LIKE %s LIMIT %s",
                       [pattern, TEXT_WORDS_PER_QUERY_WORD + 1])
        held = [row[0] for row in cursor.fetchall()]
    return None if len(held) > TEXT_WORDS_PER_QUERY_WORD else held


def _postgresql_holding(word: str) -> Q | None:
    """Texts that hold `word` (long words anywhere, short ones at the start of a word); None when no
    text's words hold it (no term can: nothing to read)."""
    held = text_words_holding(word)
    if held is None:
        if len(word) < TRIGRAM_LENGTH:
            return Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
        return Q(search_text__contains=word)
    return Q(HoldsOneOf(held)) if held else None


def _holding_condition(terms: QuerySet[Term], words: Sequence[str]) -> QuerySet[Term]:
    """A filter of `terms` to those whose search text holds every word (see keys.match_words): words of
    three letters or more through the trigram index (pg_trgm's GIN, SQLite's FTS5 table), shorter ones
    at the start of a word (' ia'), with the longer ones or, alone, with a range of the headword keys."""
    long_words = [word for word in words if len(word) >= TRIGRAM_LENGTH]
    short = Q()
    for word in words:
        if len(word) < TRIGRAM_LENGTH:
            short &= Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
    if connection.vendor == "postgresql":
        condition = Q()
        for word in dict.fromkeys(words):  # a word repeated in the query is looked for once
            holding = _postgresql_holding(word)
            if holding is None:
                return terms.none()
            condition &= holding
        return terms.filter(condition)
    if long_words:
        match = "{search_text} : (" + " AND ".join(_quoted(word) for word in long_words) + ")"
        return terms.filter(short, pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
                                                 [match]))
    # Short words only: a phrase of the space before them is a trigram of the FTS5 index.
    match = "{search_text} : (" + " AND ".join(_quoted(f" {word}") for word in words) + ")"
    starting = Q()
    for word in words:
        starting |= Q(sort_key__gte=word, sort_key__lt=word + "\U0010ffff")
    return terms.filter(short).filter(
        starting | Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])))


def holding_words(terms: QuerySet[Term], words: Sequence[str], limit: int) -> QuerySet[Term, Any]:
    """A subquery of at most `limit` ids of terms that hold every word, in no order."""
    return _holding_condition(terms.order_by(), words).values("pk")[:limit]


def count_holding(terms: QuerySet[Term], words: Sequence[str], limit: int) -> int:
    """How many terms hold every word, counted up to `limit` + 1 (so that "more than `limit`" can be said)."""
    return terms.model.objects.filter(pk__in=holding_words(terms, words, limit + 1)).count()


def first_values(column: QuerySet[Any, Any], limit: int) -> list[Any]:
    """The first `limit` values of `column` (a `values_list(name, flat=True)`, in no order), read through
    the indexes that serve its whole condition.

    On PostgreSQL, a small LIMIT over a condition the statistics think common tempts the planner into
    a sequential scan that stops at the first rows it meets; when those rows sit at the end of the table,
    it reads the whole of it ('musees': 50,000 rows tested at 100,000 terms). Planned apart as a
    materialized CTE, the condition is read from its index and its rows are pulled one at a time.
    """
    if connection.vendor != "postgresql":
        return list(column[:limit])
    try:
        sql, params = column.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"WITH found AS MATERIALIZED ({sql}) SELECT * FROM found LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def word_is_found(terms: QuerySet[Term], word: str) -> bool:
    return bool(first_values(_holding_condition(terms.order_by(), [word]).values_list("pk", flat=True), 1))


# The name of the terms that hold every word (at most keys.COUNT_LIMIT + 1), in the candidates' query.
_POOL = "lexique_holding"


def ranking_candidates(terms: QuerySet[Term], *, variants: Sequence[str], key: str, words: Sequence[str], lang: str,
                       limit: int) -> tuple[list[tuple[int, str, str, Any, bool]], int | None]:
    """[(id, sort_key, sort_key_english, synonyms, holds_words)] of the terms worth ranking for a query:
    the exact headwords (the query's keys in either number, an equality in the keys' indexes), the
    headwords of either language that start with the query (a range of them), and, among the terms that
    hold every word (at most keys.COUNT_LIMIT + 1 of them), the `limit` whose headwords hold the words,
    the reader's language's first and shortest first. One query; only these rows are ranked.

    With them, how many terms hold every word, counted up to keys.COUNT_LIMIT + 1 by the same query
    (None when it has no words, or found no candidate): the search's count, read once with its pool.
    """
    field = "sort_key_english" if lang == "en" else "sort_key"
    other = "sort_key" if lang == "en" else "sort_key_english"
    parts: list[QuerySet[Term, Any]] = [
        terms.order_by().filter(Q(sort_key__in=variants) | Q(sort_key_english__in=variants)).values("pk")]
    if key:
        parts += [_starting_with_key(terms, key, name).order_by().values("pk")[:limit] for name in (field, other)]
    pool: tuple[str, Sequence[Any]] | None = None
    if words:
        in_field, in_other = Q(), Q()
        for word in words:
            in_field &= Q(**{f"{field}__contains": word})
            in_other &= Q(**{f"{other}__contains": word})
        # Where each holds the words, read in the same pass as the test of its words (no second visit).
        holding = _holding_condition(terms.order_by(), words).annotate(
            place=Case(When(in_field, then=Value(0)), When(in_other, then=Value(1)), default=Value(2)),
            size=Length(field), name=F(field),
        ).values("pk", "place", "size", "name")[:COUNT_LIMIT + 1]
        try:
            pool = holding.query.sql_with_params()
        except EmptyResultSet:  # a word that no term holds
            pool = None
    sqls: list[str] = []
    params: list[Any] = []
    for part in parts:
        try:
            sql, part_params = part.query.sql_with_params()
        except EmptyResultSet:
            continue
        sqls.append(f"SELECT * FROM ({sql}) AS candidate")
        params += list(part_params)
    if pool is not None:
        sqls.append(f"SELECT * FROM (SELECT pk FROM {_POOL} ORDER BY place, size, name LIMIT %s) AS candidate")
        params.append(limit)
    rows = terms.filter(pk__in=RawSQL(" UNION ".join(sqls), params)).order_by()
    if pool is not None:
        rows = rows.annotate(holding=RawSQL(f"(SELECT count(*) FROM {_POOL})", []))
    fields = ["pk", "sort_key", "sort_key_english", "synonyms", "search_text"] + (["holding"] if pool else [])
    query_sql, query_params = rows.values_list(*fields).query.sql_with_params()
    if pool is not None:
        # Named once, read twice (the ranked part and the count): PostgreSQL and SQLite compute it once.
        query_sql, query_params = f"WITH {_POOL} AS ({pool[0]}) {query_sql}", (*pool[1], *query_params)
    with connection.cursor() as cursor:
        cursor.execute(query_sql, query_params)
        column = {description[0]: index for index, description in enumerate(cursor.description or ())}
        found = cursor.fetchall()
    # Read as the ORM would have: columns by name (it selects in the model's order), JSON decoded.
    candidates = []
    for row in found:
        synonyms = row[column["synonyms"]]
        synonyms = json.loads(synonyms) if isinstance(synonyms, str) else synonyms
        text = row[column["search_text"]]
        candidates.append((row[column["pk"]], row[column["sort_key"]], row[column["sort_key_english"]], synonyms,
                           all(word in text for word in words) if words else True))
    holding_count = found[0][column["holding"]] if pool is not None and found else None
    return candidates, holding_count


def known_words(words: Iterable[str]) -> set[str]:
    """The words among `words` that some published or draft headword holds as a word (the vocabulary
    of headword words: its table on PostgreSQL, SQLite's FTS5 index of the headword keys)."""
    words = list(dict.fromkeys(words))
    if not words:
        return set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT word FROM {VOCABULARY_TABLE} WHERE word = ANY(%s)", [words])
            return {row[0] for row in cursor.fetchall()}
    known: set[str] = set()
    for word in words:
        match = "{sort_key sort_key_english} : " + _quoted(word)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT sort_key, sort_key_english FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 50", [match])
            if any(word in _words(name) for row in cursor.fetchall() for name in row):
                known.add(word)
    return known


def vocabulary_lookup(terms: QuerySet[Term], word: str, forms: list[str]) -> tuple[bool, list[str]]:
    """(known, neighbours) for one word of a query: whether the headwords hold it in one of `forms` (the
    word in either number), else the words of headwords close to it, closest first. PostgreSQL: one read
    of the vocabulary (its key and its trigram index); SQLite: the words of the headwords that the FTS5
    index finds for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, word = ANY(%s) FROM {VOCABULARY_TABLE} WHERE word = ANY(%s) OR word %% %s "
                f"ORDER BY word = ANY(%s) DESC, similarity(word, %s) DESC, word LIMIT {CORRECTIONS_PER_WORD}",
                [forms, forms, word, forms, word],
            )
            rows = cursor.fetchall()
        if rows and rows[0][1]:
            return True, []
        return False, [row[0] for row in rows]
    if known_words(forms):
        return True, []
    names = {name for _pk, *pair in typo_candidates(terms.order_by(), word) for name in pair}
    return False, list(dict.fromkeys(
        part for name in sorted(names) for part in _words(name) if len(part) >= TYPO_MIN_LENGTH))


def headword_spelling(terms: QuerySet[Term], word: str) -> str | None:
    """How the headwords spell a vocabulary word, accents and all ('metadonnees' -> 'métadonnées'), or None."""
    for field, key in (("headword_fr", "sort_key"), ("headword_en", "sort_key_english")):
        holding = terms.order_by().filter(**{f"{key}__contains": word}).values_list(field, flat=True)
        for headword in first_values(holding, 5):
            for part in re.split(r"[\s'’-]+", headword or ""):
                if query_key(part) == word:
                    return part
    return None
