"""Search helpers that work the same on every database: the query key and a bounded typo pass in Python."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lexique.core.text import normalize

# Search is on words: wildcards and punctuation a reader may type ("données*", "«métadonnées»") are
# dropped, apostrophes and hyphens kept since headwords hold them.
_NOT_WORD = re.compile(r"[^\w\s'-]+")
QUERY_MAX_LENGTH = 200
# Shorter words have too many neighbours at one edit to be worth a guess.
TYPO_MIN_LENGTH = 4
TYPO_MAX_LENGTH = 40
# The typo pass measures this many headwords at most, those that share the most trigrams with the
# query (read from an index), so a huge lexicon costs a bounded time.
TYPO_CANDIDATES = 200
# Each kind of match (prefix, substring, typo, full text) hands at most this many terms to the ranking:
# a word that a third of the lexicon holds costs what a rare one does.
SEARCH_CANDIDATES = 200
# The dearer kinds of match (substrings of words, then headwords a few typing mistakes away) are looked
# for only while the cheaper ones (headwords, stemmed words) found fewer than a page of results: a word
# that many terms hold is not a typo, and common trigrams have long posting lists.
SEARCH_PAGE_SIZE = 20
DEARER_MATCHES_BELOW = SEARCH_PAGE_SIZE
# A "did you mean" may be a little further from the query than a typo the search accepts on its own.
DID_YOU_MEAN_EXTRA_EDITS = 1
# Substring indexes (pg_trgm, FTS5's trigram tokenizer) work on three letters or more.
TRIGRAM_LENGTH = 3
# The closest ones only: a query's typo matches go to the database as a list of ids.
TYPO_MAX_MATCHES = 200


# The ranking applies these pure functions to the same headwords and synonyms again and again: memoised.
_MEMO = 16_384


@lru_cache(maxsize=_MEMO)
def query_key(query: str) -> str:
    """The normalised words of a query: 'Données*' -> 'donnees'."""
    return " ".join(_NOT_WORD.sub(" ", normalize(query)).split())[:QUERY_MAX_LENGTH]


def typed_words(query: str) -> list[str]:
    """The words of a query as the reader typed them (accents and case kept), one for each of its key's."""
    return _NOT_WORD.sub(" ", query or "").split()


def allowed_edits(key: str) -> int:
    """How many typing mistakes a key of this length may hold and still name a headword."""
    if len(key) < TYPO_MIN_LENGTH:
        return 0
    return min(3, max(1, len(key) // 4))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance (a transposition counts one), or limit + 1 as soon as it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def distance_to_headword(key: str, headword_key: str, limit: int, memo: dict[str, int] | None = None) -> int:
    """The fewest edits from `key` to the headword or, for a one-word key, to one of its words.

    `memo` keeps each word's distance across the headwords of one pass: headwords share many words.
    """
    memo = {} if memo is None else memo

    def distance(text: str) -> int:
        if text not in memo:
            memo[text] = edit_distance(key, text, limit)
        return memo[text]

    best = distance(headword_key)
    if " " not in key:
        for word in headword_key.split():
            if best == 0:
                break
            best = min(best, distance(word))
    return best


def close_matches(key: str, candidates: Iterable[tuple[int, str]], *, limit: int | None = None) -> dict[int, int]:
    """{id: distance} for the candidates (id, headword key) within the allowed typing mistakes of `key`."""
    limit = allowed_edits(key) if limit is None else limit
    if not limit or len(key) > TYPO_MAX_LENGTH:
        return {}
    found: dict[int, int] = {}
    memo: dict[str, int] = {}
    for pk, headword_key in candidates:
        if not headword_key:
            continue
        distance = distance_to_headword(key, headword_key, limit, memo)
        if distance <= limit and distance < found.get(pk, limit + 1):
            found[pk] = distance
    return found


# --- The forms the ranking compares (docs/search.md) -------------------------------------------------

# A search never counts past this many matches, nor ranks more than these among those that only hold the
# words (exact and prefix headwords are always found): past it, a page says "more than 1,000 results".
# Its pages go through the first 1,000 ranked results anyway; at a million terms, counting on to 10,000
# through the trigram index (each match rechecked) cost more than all the rest of a search.
COUNT_LIMIT = 1_000
# French elisions ("l'œuvre", "d'auteur", "qu'une"): the article is not a word of the query.
_ELISION = re.compile(r"^(?:[a-z]|qu|jusqu|lorsqu|puisqu)'")
# Words an abbreviation skips ("gestion de la relation client" -> "grc").
_FUNCTION_WORDS = frozenset(
    "a au aux d de des du en et l la le les un une sur pour par dans of the for and in on to a an".split()
)


def singular(word: str) -> str:
    """The word without a plural ending, as readers write both: 'musees' -> 'musee', 'reseaux' -> 'reseau'."""
    if len(word) > 3 and word[-1] in "sx" and word[-2] not in "sx":
        return word[:-1]
    return word


def bare_word(word: str) -> str:
    """A word of a key without its elided article: "l'oeuvre" -> 'oeuvre'."""
    return _ELISION.sub("", word).strip("'")


def key_words(key: str) -> list[str]:
    """The words of a key, elided articles dropped: "l'oeuvre d'art" -> ['oeuvre', 'art']."""
    words = []
    for word in re.split(r"[\s-]+", key):
        word = _ELISION.sub("", word).strip("'")
        if word:
            words.append(word)
    return words


@lru_cache(maxsize=_MEMO)
def folded(key: str) -> str:
    """A key as the ranking compares it: elisions dropped, hyphens as spaces, each word singular."""
    return " ".join(singular(word) for word in key_words(key))


def match_words(key: str) -> list[str]:
    """What a term must hold, each as a substring of its search text: the query's words, singular (a
    substring of the singular is one of the plural too), one-letter words left out."""
    return list(dict.fromkeys(singular(word) for word in key_words(key) if len(word) > 1))


def key_variants(key: str) -> list[str]:
    """The headword keys that are this query, exactly or in the other number: 'musees' -> ['musees', 'musee',
    'musees']; what the exact-headword index is asked for."""
    words = key_words(key)
    variants = [key, " ".join(words), " ".join(singular(word) for word in words)]
    variants.append(" ".join(word if word[-1:] in ("s", "x") else word + "s" for word in words))
    return list(dict.fromkeys(variant for variant in variants if variant))


@lru_cache(maxsize=_MEMO)
def initials(key: str) -> str:
    """The abbreviation of a headword: the first letters of its words that carry meaning
    ('intelligence artificielle' -> 'ia', 'gestion de la relation client' -> 'grc')."""
    words = [word for word in key_words(key) if word not in _FUNCTION_WORDS]
    return "".join(word[0] for word in words) if len(words) > 1 else ""
