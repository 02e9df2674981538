"""As-you-type suggestions, read from a small table of keys (models.Suggestion) by prefix, typos last.

Each published term's headwords and synonyms, in both languages, are kept there as keys without case,
accents, ligatures, punctuation, apostrophes or spaces, once from the start of the text and once from
the start of each later word. A suggestion is then at most three ranges of one index (whole texts,
word starts, and, only when those found too few, the typed words corrected from the vocabulary of
headword words), each bounded by CANDIDATES rows: its cost does not grow with the lexicon.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any, TypedDict

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.signals import post_save

from lexique.core.content import DesignationKind
from lexique.core.text import initial_of_key, normalize
from lexique.models import Abbreviation, Suggestion, Term
from lexique.platform.bulk import insert_rows
from lexique.platform.routers import read_alias
from lexique.search.indexes import corrections
from lexique.search.keys import TYPO_MIN_LENGTH, query_key
from lexique.search.limits import MAX_SUGGESTION_CHARACTERS, bounded_query
from lexique.search.queries import typo_matches

SUGGESTION_COUNT = 8
# Rows read from the index by each step, at most: enough to rank a page of suggestions.
CANDIDATES = 50
# The key of a text from each of its first words (a headword rarely has more).
WORD_STARTS = 6
# Shorter words start no key of their own: elided articles and prepositions ("l'", "d'").
SHORTEST_WORD_START = 2
KEY_LENGTH = Suggestion._meta.get_field("key").max_length
# A key's upper bound in a range: greater than any character a key may hold.
_AFTER_EVERY_KEY = "\U0010ffff"
_WORD = re.compile(r"[^\W_]+")
# Fields whose change changes a term's suggestions.
_SUGGESTED_FIELDS = frozenset({"status", "headword", "headword_fr", "headword_en", "synonyms"})


class SuggestionRow(TypedDict):
    """The fields of one models.Suggestion."""

    key: str
    term_id: int
    lang: str
    synonym: bool
    word: int


def typed_key(text: str) -> str:
    """What a typed text is looked up by: "L’Œuvre d'art" -> "loeuvredart"."""
    return "".join(_WORD.findall(normalize(text)))[:KEY_LENGTH]


def text_keys(text: str) -> list[tuple[int, str]]:
    """(word, key) of a headword or synonym: its whole key (word 0), then its key from each later word."""
    words = _WORD.findall(normalize(text))
    return [
        (index, "".join(words[index:])[:KEY_LENGTH])
        for index in range(min(len(words), WORD_STARTS))
        if index == 0 or len(words[index]) >= SHORTEST_WORD_START
    ]


def term_rows(term_id: int, headword_fr: str | None, headword_en: str | None, synonyms: Any) -> list[SuggestionRow]:
    """The suggestion rows of a published term, one per distinct (key, language), the headword's first."""
    texts = [(headword_fr, "fr", False), (headword_en, "en", False)]
    texts += [
        (item.get("text", ""), "en" if item.get("lang") == "en" else "fr", True)
        for item in synonyms or [] if isinstance(item, dict) and isinstance(item.get("text"), str)
    ]
    rows: dict[tuple[str, str], SuggestionRow] = {}
    for text, lang, synonym in texts:
        for word, key in text_keys(text or ""):
            rows.setdefault((key, lang), {"key": key, "term_id": term_id, "lang": lang, "synonym": synonym,
                                          "word": word})
    return list(rows.values())


class AbbreviationRow(TypedDict):
    """The fields of one models.Abbreviation."""

    term_id: int
    lang: str
    text: str
    kind: str
    key: str
    initial: str


def abbreviation_rows(term_id: int, synonyms: Any) -> list[AbbreviationRow]:
    """The abbreviations, acronyms and initialisms among a published term's synonyms, one per (language, key)."""
    rows: dict[tuple[str, str], AbbreviationRow] = {}
    for item in synonyms or []:
        if not isinstance(item, dict) or item.get("kind") not in DesignationKind.values:
            continue
        text = str(item.get("text") or "").strip()
        key = normalize(text)[:220]
        if not key:
            continue
        lang = "en" if item.get("lang") == "en" else "fr"
        rows.setdefault((lang, key), {"term_id": term_id, "lang": lang, "text": text[:200], "kind": item["kind"],
                                      "key": key, "initial": initial_of_key(key)})
    return list(rows.values())


def refresh(term: Term, *, using: str = "default") -> None:
    """Make a term's suggestions and abbreviations those of its published copy (none when it is not published)."""
    with transaction.atomic(using=using):
        Suggestion.objects.using(using).filter(term_id=term.pk).delete()
        Abbreviation.objects.using(using).filter(term_id=term.pk).delete()
        if term.status == Term.Status.PUBLISHED:
            rows = term_rows(term.pk, term.headword_fr, term.headword_en, term.synonyms)
            Suggestion.objects.using(using).bulk_create([Suggestion(**row) for row in rows])
            Abbreviation.objects.using(using).bulk_create(
                [Abbreviation(**row) for row in abbreviation_rows(term.pk, term.synonyms)])


def refresh_many(terms: Iterable[Term], *, new: Collection[int] = (), using: str = "default") -> None:
    """`refresh` for many terms at once (a batch of publications written in bulk, which sends no post_save);
    `new`: the ids of terms just made, which have no suggestions yet."""
    terms = list({term.pk: term for term in terms}.values())
    if not terms:
        return
    with transaction.atomic(using=using):
        ids = [term.pk for term in terms if term.pk not in new]
        for start in range(0, len(ids), 500):
            Suggestion.objects.using(using).filter(term_id__in=ids[start:start + 500]).delete()
            Abbreviation.objects.using(using).filter(term_id__in=ids[start:start + 500]).delete()
        published = [term for term in terms if term.status == Term.Status.PUBLISHED]
        rows = rows_of_terms((term.pk, term.headword_fr, term.headword_en, term.synonyms) for term in published)
        insert_rows(Suggestion, ("key", "term_id", "lang", "synonym", "word"),
                    ((row["key"], row["term_id"], row["lang"], row["synonym"], row["word"]) for row in rows),
                    using=using)
        Abbreviation.objects.using(using).bulk_create(
            [Abbreviation(**row) for term in published for row in abbreviation_rows(term.pk, term.synonyms)])


def rows_of_terms(terms: Iterable[tuple[int, str | None, str | None, Any]]) -> Iterator[SuggestionRow]:
    """The suggestion rows of many terms given as (id, headword_fr, headword_en, synonyms)."""
    for term_id, headword_fr, headword_en, synonyms in terms:
        yield from term_rows(term_id, headword_fr, headword_en, synonyms)


def rebuild(suggestion_model: type[Model] = Suggestion, term_model: type[Model] = Term, *, using: str = "default",
            batch: int = 5000) -> int:
    """Fill the table again from every published term (a migration passes its historical models)."""
    manager = suggestion_model._default_manager.using(using)
    manager.all().delete()
    published = term_model._default_manager.using(using).filter(status="published").order_by("pk")
    count, pending = 0, []
    for row in rows_of_terms(published.values_list("pk", "headword_fr", "headword_en", "synonyms").iterator(batch)):
        pending.append(suggestion_model(**row))
        if len(pending) >= batch:
            manager.bulk_create(pending)
            count, pending = count + len(pending), []
    manager.bulk_create(pending)
    return count + len(pending)


def rebuild_abbreviations(abbreviation_model: type[Model] = Abbreviation, term_model: type[Model] = Term, *,
                          using: str = "default", batch: int = 5000) -> int:
    """Fill the table of abbreviations again from every published term (a migration passes its historical models)."""
    manager = abbreviation_model._default_manager.using(using)
    manager.all().delete()
    published = term_model._default_manager.using(using).filter(status="published").order_by("pk")
    count, pending = 0, []
    for term_id, synonyms in published.values_list("pk", "synonyms").iterator(batch):
        pending += [abbreviation_model(**row) for row in abbreviation_rows(term_id, synonyms)]
        if len(pending) >= batch:
            manager.bulk_create(pending)
            count, pending = count + len(pending), []
    manager.bulk_create(pending)
    return count + len(pending)


def _term_saved(sender: type[Term], instance: Term, using: str = "default",
                update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
    if update_fields is not None and not _SUGGESTED_FIELDS & set(update_fields):
        return
    refresh(instance, using=using)


post_save.connect(_term_saved, sender=Term, dispatch_uid="lexique-suggestions")


def _reader() -> BaseDatabaseWrapper:
    """The connection suggestions are read from (the replica, for a public read when there is one)."""
    return connections[read_alias(Suggestion)]


def _range_sql(vendor: str, whole: bool) -> str:
    # Binary order on both databases (SQLite's default), so the range is one of the partial index's.
    column = 'key COLLATE "C"' if vendor == "postgresql" else "key"
    return (
        f"SELECT key, term_id, lang, synonym FROM {Suggestion._meta.db_table} "
        f"WHERE word {'=' if whole else '>'} 0 AND {column} >= %s AND {column} < %s ORDER BY {column} "
        f"LIMIT {CANDIDATES}"
    )


def _prefix_rows(key: str, *, whole: bool) -> list[tuple[str, int, str, bool, bool]]:
    """(key, term id, language, synonym, word start) of the rows whose key starts with `key`."""
    reader = _reader()
    with reader.cursor() as cursor:
        cursor.execute(_range_sql(reader.vendor, whole), [key, key + _AFTER_EVERY_KEY])
        return [(row_key, term_id, lang, bool(synonym), not whole) for row_key, term_id, lang, synonym in
                cursor.fetchall()]


def _ranked(rows: Iterable[tuple[str, int, str, bool, bool]], key: str, lang: str) -> list[int]:
    """Term ids, best first: the exact text, then texts that start with the key before those with a word
    that does; headwords before synonyms; the reader's language first; then in alphabetical order."""
    best: dict[int, tuple[bool, bool, bool, bool, str]] = {}
    for row_key, term_id, row_lang, synonym, word_start in rows:
        rank = (row_key != key, word_start, synonym, row_lang != lang, row_key)
        if term_id not in best or rank < best[term_id]:
            best[term_id] = rank
    return sorted(best, key=lambda term_id: (best[term_id], term_id))


def _corrected_key(query: str) -> str | None:
    """PostgreSQL: the typed key once each mistyped word is replaced by the closest headword word (from the
    vocabulary's trigram index), or None when no word was corrected."""
    words = _WORD.findall(normalize(query))
    with _reader().cursor() as cursor:
        found = corrections(cursor, [word for word in words if len(word) >= TYPO_MIN_LENGTH])
    corrected = [found[word][0] if found.get(word) else word for word in words]
    return typed_key(" ".join(corrected)) if corrected != words else None


def _typo_ids(query: str, lang: str, seen: set[int]) -> list[int]:
    """Terms a few typing mistakes away from the query, read from bounded indexes."""
    if _reader().vendor == "postgresql":
        key = _corrected_key(query)
        if key is None:
            return []
        rows = _prefix_rows(key, whole=True)
        return [pk for pk in _ranked(rows, key, lang) if pk not in seen]
    typos = typo_matches(Term.objects.published(), query_key(query))  # SQLite: FTS5, bounded
    return [pk for pk in sorted(typos, key=lambda pk: (typos[pk], pk)) if pk not in seen]


def suggest(query: str, *, lang: str = "fr", limit: int = SUGGESTION_COUNT) -> list[Term]:
    """As-you-type suggestions: published terms whose headword or synonym starts with what was typed, then
    those with a word that does, then, when those are too few, those a few typing mistakes away."""
    query = bounded_query(query, max_characters=MAX_SUGGESTION_CHARACTERS)
    key = typed_key(query)
    if len(key) < 2:
        return []
    rows = _prefix_rows(key, whole=True)
    ids = _ranked(rows, key, lang)
    if len(ids) < limit:
        ids = _ranked(rows + _prefix_rows(key, whole=False), key, lang)
    if len(ids) < limit:
        ids += _typo_ids(query, lang, set(ids))
    ids = ids[:limit]
    # Read by id (a row whose term was deleted since is passed over), in the order ranked.
    terms = {term.pk: term for term in Term.objects.published().filter(pk__in=ids)}
    return [terms[pk] for pk in ids if pk in terms]



def designation_ids(key: str, *, mode: str, limit: int) -> tuple[list[int], bool]:
    """Ids of published terms with a headword or synonym whose key (typed_key) is `key` (mode "exact"), starts
    with it ("starts"), or has a word that starts with it ("contains": the other half of "contains", inside a
    headword's word, is the trigram index's, queries.headwords_containing). At most `limit` rows of each range
    of the table's partial indexes; with whether a range was cut there (more may match)."""
    reader = _reader()
    column = 'key COLLATE "C"' if reader.vendor == "postgresql" else "key"
    table = Suggestion._meta.db_table
    if mode == "exact":
        ranges = [(f"word = 0 AND {column} = %s", [key])]
    else:
        ranges = [(f"word = 0 AND {column} >= %s AND {column} < %s", [key, key + _AFTER_EVERY_KEY])]
        if mode == "contains":
            ranges.append((f"word > 0 AND {column} >= %s AND {column} < %s", [key, key + _AFTER_EVERY_KEY]))
    ids: list[int] = []
    cut = False
    with reader.cursor() as cursor:
        for condition, params in ranges:
            cursor.execute(f"SELECT term_id FROM {table} WHERE {condition} LIMIT {limit}", params)
            rows = cursor.fetchall()
            cut = cut or len(rows) >= limit
            ids += [row[0] for row in rows]
    return list(dict.fromkeys(ids)), cut
