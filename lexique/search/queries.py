"""Searching the terms through the indexes each database keeps: candidates read from an index, then ranked.

Each function takes the queryset to search (the published terms, or the drafts) and returns ids, rows
or a queryset of it.
"""
import functools
import operator
import re

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest

from lexique.search.indexes import FTS_TABLE, corrections
from lexique.search.keys import (
    DEARER_MATCHES_BELOW,
    SEARCH_CANDIDATES,
    TRIGRAM_LENGTH,
    TYPO_CANDIDATES,
    TYPO_MAX_MATCHES,
    TYPO_MIN_LENGTH,
    allowed_edits,
    close_matches,
    query_key,
)


def _quoted(text):
    """An FTS5 string: the text as it is, whatever operators it holds."""
    return '"' + text.replace('"', '""') + '"'


def _words(key):
    """The words of a query key, as the vocabulary of headword words splits them."""
    return [word for word in re.split(r"[^\w]+", key) if word]


def _correctable(words):
    """Those long enough to be mistyped (shorter ones have too many neighbours to correct)."""
    return [word for word in words if len(word) >= TYPO_MIN_LENGTH]


def _pieces(key, edits):
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


def matching_terms(terms, query, *, lang="fr"):
    """Accent- and case-insensitive search on headwords, synonyms and definitions, best first.

    Each kind of match is read from an index, at most SEARCH_CANDIDATES rows of each (so a word
    that a third of a huge lexicon holds costs what a rare one does): the exact headword, headwords
    that start with the query, terms that hold every word (trigram GIN on PostgreSQL, FTS5 trigram
    on SQLite), on PostgreSQL French and English full-text matches (stemming, unaccent) from a
    stored document, and, when those are few, headwords a few typing mistakes away. The candidates'
    ids are read once; only they are ranked: exact headword, headword prefix, headword substring,
    then the closest typos, then full-text rank; headwords of `lang` rank first.
    """
    key = query_key(query)
    if not key:
        return terms.none()
    sort_field = "sort_key_english" if lang == "en" else "sort_key"
    headword_rank = Case(
        When(**{sort_field: key}, then=Value(3)),
        When(**{f"{sort_field}__startswith": key}, then=Value(2)),
        When(**{f"{sort_field}__contains": key}, then=Value(1)),
        default=Value(0),
        output_field=models.IntegerField(),
    )
    if connection.vendor == "postgresql":
        return _postgresql_search(terms, query, key, headword_rank, sort_field)
    ids = candidate_ids(terms, key, sort_field, [_sqlite_words(terms, key)])
    if len(ids) < DEARER_MATCHES_BELOW:
        ids.update(typo_matches(terms, key))
    return terms.filter(pk__in=ids).annotate(headword_rank=headword_rank).order_by("-headword_rank", sort_field)


def candidate_ids(terms, key, sort_field, matches):
    """The ids worth ranking (see bounded_candidates), read in one query: the count of the results
    and their page then cost a lookup by primary key, not the candidates' search again."""
    candidates = bounded_candidates(terms, key, sort_field, matches)
    with connection.cursor() as cursor:
        cursor.execute(candidates.sql, candidates.params)
        return {row[0] for row in cursor.fetchall()}


def bounded_candidates(terms, key, sort_field, matches):
    """A subquery of the ids worth ranking: the exact and prefix headwords of `key`, then `matches`
    (querysets or (sql, params)), each bounded by SEARCH_CANDIDATES."""
    parts = [
        terms.order_by().filter(Q(sort_key=key) | Q(sort_key_english=key)).values("pk"),
        # No ORDER BY: the prefix's own index (pattern_ops, or a key range on SQLite) hands rows in key
        # order already, where an ORDER BY would make the planner walk the whole btree from 'a'.
        _starting_with_key(terms, key, sort_field).order_by().values("pk"),
        *matches,
    ]
    sqls, params = [], []
    for part in parts:
        if isinstance(part, tuple):
            sql, part_params = part
        else:
            sql, part_params = part[:SEARCH_CANDIDATES].query.sql_with_params()
        # Wrapped, so that each part keeps its own LIMIT (SQLite allows no parenthesised UNION member).
        sqls.append(f"SELECT * FROM ({sql}) AS candidate")
        params += list(part_params)
    return RawSQL(" UNION ".join(sqls), params)


def _starting_with_key(terms, key, field):
    if connection.vendor == "postgresql":
        # LIKE 'key%' is served by a range of Django's pattern_ops index, from the whole table (the outer
        # query keeps the published ones): with a LIMIT, the published set's partial btree tempts the
        # planner into walking it from 'a', testing every headword, when the key's are far down.
        return terms.model.objects.filter(**{f"{field}__startswith": key})
    # SQLite's LIKE ignores case, so its indexes cannot serve it: a range of the (binary) key instead.
    return terms.filter(**{f"{field}__gte": key, f"{field}__lt": key + "\U0010ffff"})


def _substring(key):
    """Every word of the key in the search text (the trigram index serves words of 3 letters or more)."""
    substring = Q()
    for word in key.split():
        substring &= Q(search_text__contains=word)
    return substring


def _indexed_words(key):
    return [word for word in key.split() if len(word) >= TRIGRAM_LENGTH]


def _postgresql_search(terms, query, key, headword_rank, sort_field):
    text_query = SearchQuery(query, config="lexique_fr", search_type="plain") | SearchQuery(
        query, config="lexique_en", search_type="plain"
    )
    # Dearest last, each only while the cheaper ones found too few: the full text (stemmed words),
    # then substrings (partial words; common trigrams have long posting lists), then typos.
    ids = candidate_ids(terms, key, sort_field, [terms.order_by().filter(search_document=text_query).values("pk")])
    if len(ids) < DEARER_MATCHES_BELOW:
        if _indexed_words(key):
            substrings = terms.order_by().filter(_substring(key))
        else:  # too short for trigrams: headwords of the other language that start with it
            substrings = terms.order_by().filter(Q(sort_key__startswith=key) | Q(sort_key_english__startswith=key))
        ids.update(substrings.values_list("pk", flat=True)[:SEARCH_CANDIDATES])
    if len(ids) < DEARER_MATCHES_BELOW:
        ids.update(_corrected_ids(terms, key))
    return (
        terms.filter(pk__in=ids)
        .annotate(
            headword_rank=headword_rank,
            similarity=TrigramWordSimilarity(key, sort_field),
            text_rank=SearchRank(F("search_document"), text_query),
        )
        .order_by("-headword_rank", "-similarity", "-text_rank", sort_field)
    )


def names_known_words(key):
    """PostgreSQL: whether every word of `key` long enough to be mistyped is a word of some headword
    (the vocabulary); False elsewhere, where no vocabulary is kept."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        found = corrections(cursor, _correctable(_words(key)))
    return bool(found) and all(corrected == [word] for word, corrected in found.items())


def _corrected_ids(terms, key):
    """PostgreSQL: terms that hold the query once each mistyped word is replaced by the closest words
    of the headwords (the vocabulary's trigram index), read from the full-text index."""
    words = _words(key)
    with connection.cursor() as cursor:
        found = corrections(cursor, _correctable(words))
    if all(found[word] == [word] for word in found):
        return set()  # nothing mistyped, or nothing to correct it with
    query = None
    for word in words:
        either = functools.reduce(operator.or_, (
            SearchQuery(alternative, config=config, search_type="plain")
            for alternative in found.get(word) or [word] for config in ("lexique_fr", "lexique_en")
        ))
        query = either if query is None else query & either
    return set(terms.order_by().filter(search_document=query).values_list("pk", flat=True)[:SEARCH_CANDIDATES])


def _sqlite_words(terms, key):
    """(sql, params): ids of the terms that hold every word of `key`, from the FTS5 index."""
    indexed = _indexed_words(key)
    if not indexed:  # too short for trigrams: headwords that start with it, a range of the key indexes
        table = terms.model._meta.db_table
        sql = " UNION ".join(
            f"SELECT id FROM (SELECT id FROM {table} WHERE {field} >= %s AND {field} < %s "
            f"LIMIT {SEARCH_CANDIDATES})"
            for field in ("sort_key", "sort_key_english")
        )
        return sql, [key, key + "\U0010ffff"] * 2
    phrase = " AND ".join(_quoted(word) for word in indexed)
    short = [word for word in key.split() if len(word) < TRIGRAM_LENGTH]
    sql = f"SELECT fts.rowid AS id FROM {FTS_TABLE} AS fts WHERE {FTS_TABLE} MATCH %s"
    sql += "".join(" AND fts.search_text LIKE %s" for _word in short)
    return f"{sql} LIMIT {SEARCH_CANDIDATES}", [f"{{search_text}} : ({phrase})"] + [f"%{w}%" for w in short]


def headwords_containing(terms, key):
    """Terms whose French or English headword holds `key` (starts with it, for a key too short for
    trigrams), found through an index on every database."""
    if len(key) < TRIGRAM_LENGTH:
        return terms.filter(Q(sort_key__startswith=key) | Q(sort_key_english__startswith=key))
    if connection.vendor == "postgresql":  # the trigram indexes serve LIKE '%key%'
        return terms.filter(Q(sort_key__contains=key) | Q(sort_key_english__contains=key))
    match = "{sort_key sort_key_english} : " + _quoted(key)
    return terms.filter(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))


def typo_candidates(terms, key):
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


def similar_headwords(terms, key):
    """PostgreSQL: terms with a headword close to `key` (pg_trgm's `%>`, served by the trigram indexes),
    closest first."""
    close = terms.model.objects.order_by().filter(  # the whole table: see _postgresql_search
        Q(TrigramWordSimilar(F("sort_key"), Value(key))) | Q(TrigramWordSimilar(F("sort_key_english"), Value(key)))
    ).values("pk")[:SEARCH_CANDIDATES]
    return terms.filter(pk__in=close).annotate(
        closeness=Greatest(TrigramWordSimilarity(key, "sort_key"),
                           TrigramWordSimilarity(key, "sort_key_english"))
    ).order_by("-closeness", "pk")


def typo_matches(terms, key):
    """{id: edits} of the terms whose French or English headword is a few typing mistakes from `key`."""
    if not allowed_edits(key):
        return {}
    rows = typo_candidates(terms.order_by(), key)
    found = close_matches(key, ((pk, name) for pk, *names in rows for name in dict.fromkeys(names)))
    return dict(sorted(found.items(), key=lambda item: item[1])[:TYPO_MAX_MATCHES])
