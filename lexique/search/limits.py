"""What a search reads of what was typed: bounded before any database work, the same for every caller.

The web search, the API search and the suggestions all call `bounded_query` first, so that no input,
however long, makes a query dearer than a query of a few words (a headword rarely has more than six).
"""
import re

# A query longer than this is cut at the end of a word; its later words are ignored.
MAX_QUERY_CHARACTERS = 80
MAX_QUERY_WORDS = 8
# As-you-type suggestions look up a headword's start: a shorter input still names it.
MAX_SUGGESTION_CHARACTERS = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def bounded_query(text: str, *, max_characters: int = MAX_QUERY_CHARACTERS, max_words: int = MAX_QUERY_WORDS) -> str:
    """`text` without control characters or repeated spaces, cut to its first `max_words` words and at the
    end of a word within `max_characters` (a single word longer than that is cut where it reaches it)."""
    query = " ".join(_CONTROL.sub(" ", text or "").split()[:max_words])
    if len(query) <= max_characters:
        return query
    cut = query[:max_characters]
    if query[max_characters] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # no half word, which would be a word of its own
    return cut.rstrip()
