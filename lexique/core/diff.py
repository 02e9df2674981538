"""Word-level differences between two revisions, for reviewers, history pages and API conflicts."""
import difflib
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from diff_match_patch import diff_match_patch
from django.core.cache import cache

from lexique.core.content import LANGUAGES, TRANSLATED_FIELDS
from lexique.core.grammar import GRAMMAR_FIELD_NAMES

# (op, text), op being "equal", "delete" or "insert".
Chunk = tuple[str, str]


@runtime_checkable
class HasContent(Protocol):
    """What a diff reads of a revision (core knows no model): a Revision, or merged content that reads like one."""

    def content(self) -> dict[str, Any]: ...


# Either side of a diff: a revision, a content dict, or nothing (a new term).
Side = HasContent | Mapping[str, Any] | None

# A word with the spaces after it, so that joining the tokens gives the text back exactly
# (spaces at the very start of a text are a token of their own).
_TOKEN = re.compile(r"\S+\s*|\s+")
# The diff gives up past this many seconds and shows a coarser result: a visitor's text of any
# length and shape costs the server a bounded time.
DIFF_BUDGET_SECONDS = 0.05
# What all the diffs of one page may cost together (a page of 25 changed terms would otherwise
# multiply the budget of one field by every field of every term).
PAGE_DIFF_BUDGET_SECONDS = 0.5


class DiffBudget:
    """Seconds of diff work shared by every field one request diffs; once spent, diffs are coarse."""

    def __init__(self, seconds: float | None = None) -> None:
        self.deadline = time.monotonic() + (PAGE_DIFF_BUDGET_SECONDS if seconds is None else seconds)
        self.exhausted = False

    def for_field(self) -> float:
        """This field's budget: the usual one, or what is left if less; 0 once nothing is left."""
        left = min(DIFF_BUDGET_SECONDS, self.deadline - time.monotonic())
        if left <= 0:
            self.exhausted = True
            return 0.0
        return left


# Tokens are diffed as characters of a private string: one code point per distinct token, skipping
# the surrogate range (which is not text).
_SURROGATES = range(0xD800, 0xE000)
_MAX_TOKENS = 0x10FFFF - len(_SURROGATES)
# Revisions never change, so a diff between two of them never goes stale; bump the version
# when the shape of the chunks changes.
CACHE_PREFIX = "lexique:diff:v3"
CACHE_SECONDS = 7 * 24 * 3600

_EQUAL, _DELETE, _INSERT = diff_match_patch.DIFF_EQUAL, diff_match_patch.DIFF_DELETE, diff_match_patch.DIFF_INSERT
_OPS = {_EQUAL: "equal", _DELETE: "delete", _INSERT: "insert"}


def word_diff(old: str, new: str, *, budget: float = DIFF_BUDGET_SECONDS) -> list[Chunk]:
    """[(op, text)] with op in 'equal', 'delete', 'insert': a readable word diff of two texts.

    Joining the 'equal' and 'delete' chunks gives `old` back exactly, 'equal' and 'insert' `new`.
    Near-linear on ordinary edits (diff-match-patch on words); beyond `budget` seconds the
    changed middle is shown as deleted then inserted whole (at once for a budget of 0).
    """
    old, new = old or "", new or ""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if budget <= 0:  # diff-match-patch reads a timeout of 0 as "no limit"
        return _coarse(a, b)
    codes: dict[str, int] = {}
    try:
        text_a, text_b = _as_chars(a, codes), _as_chars(b, codes)
    except OverflowError:
        return _coarse(a, b)
    if len(codes) == len(set(a)) + len(set(b)):  # no word in common: nothing to align
        return _coarse(a, b)
    tokens = list(codes)
    engine = diff_match_patch()
    engine.Diff_Timeout = budget
    deadline = time.monotonic() + budget
    diffs = engine.diff_main(text_a, text_b, checklines=False)
    if time.monotonic() > deadline:
        return _coarse(a, b)
    engine.diff_cleanupSemantic(diffs)
    chunks: list[Chunk] = []
    for op, chars in diffs:
        text = "".join(tokens[_index(char)] for char in chars)
        if chunks and chunks[-1][0] == _OPS[op]:
            chunks[-1] = (chunks[-1][0], chunks[-1][1] + text)
        elif text:
            chunks.append((_OPS[op], text))
    return _spaces_outside_changes(chunks)


def _spaces_outside_changes(chunks: list[Chunk]) -> list[Chunk]:
    """Spaces that end both a deletion and the insertion that replaces it belong to neither.

    'décrivent ' replaced by 'présentent ' reads better as the two words then an unchanged space.
    """
    out = []
    for chunk in chunks:
        out.append(chunk)
        if len(out) < 2 or {out[-2][0], out[-1][0]} != {"delete", "insert"}:
            continue
        first, second = out[-2][1], out[-1][1]
        spaces = len(first) - len(first.rstrip())
        spaces = min(spaces, len(second) - len(second.rstrip()))
        while spaces and first[-spaces:] != second[-spaces:]:
            spaces -= 1
        if spaces and first[:-spaces] and second[:-spaces]:
            out[-2:] = [(out[-2][0], first[:-spaces]), (out[-1][0], second[:-spaces]), ("equal", first[-spaces:])]
    merged: list[Chunk] = []
    for op, text in out:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def _as_chars(tokens: list[str], codes: dict[str, int]) -> str:
    """Each token as one character, the same token always the same character."""
    chars = []
    for token in tokens:
        index = codes.setdefault(token, len(codes))
        if index >= _MAX_TOKENS:
            raise OverflowError
        chars.append(chr(index if index < _SURROGATES.start else index + len(_SURROGATES)))
    return "".join(chars)


def _index(char: str) -> int:
    code = ord(char)
    return code if code < _SURROGATES.start else code - len(_SURROGATES)


def _coarse(a: Sequence[str], b: Sequence[str]) -> list[Chunk]:
    """The fallback: common words at both ends kept, the whole middle deleted then inserted."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    parts = [
        ("equal", a[:start]),
        ("delete", a[start:len(a) - end]),
        ("insert", b[start:len(b) - end]),
        ("equal", a[len(a) - end:]),
    ]
    return [(op, "".join(tokens)) for op, tokens in parts if tokens]


def list_diff(old: Sequence[str], new: Sequence[str]) -> list[Chunk]:
    """[(op, item)]: each item of a list kept, removed or added whole, one chunk per item.

    Related terms, synonyms, domains and sources are lists of names, not prose: "art numérique" replaced by
    "numérique" is one name removed and one added, never a word struck out of the middle of another.
    Removed items stand where they were, before the items that replace them.
    """
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    chunks: list[Chunk] = []
    for tag, first, last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            chunks += [("equal", item) for item in old[first:last]]
        else:
            chunks += [("delete", item) for item in old[first:last]]
            chunks += [("insert", item) for item in new[new_first:new_last]]
    return chunks


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_item_text(item) for item in value)
    return value or ""


def _item_text(item: Any) -> str:
    if isinstance(item, dict):
        if "url" in item:
            return f"{item.get('title', '')} <{item['url']}>"
        return f"{item.get('text', '')} ({item.get('lang', '')}, {item.get('status', '')})"
    return str(item)


# Fields whose value is a list: diffed item by item (list_diff), their chunks one item each.
LIST_DIFF_FIELDS = ("sources", "synonyms", "domains", "related")
DIFF_FIELDS = [f"{field}_{lang}" for field in TRANSLATED_FIELDS for lang in LANGUAGES] + [
    *GRAMMAR_FIELD_NAMES, "category", *LIST_DIFF_FIELDS]


def _field_diff(field: str, before: str, after: str, budget: DiffBudget | None = None) -> list[Chunk]:
    """A list field item by item; a text field word by word, within `budget` when one is shared."""
    if field in LIST_DIFF_FIELDS:
        return list_diff(before.splitlines(), after.splitlines())
    if budget is None:
        return word_diff(before, after)
    return word_diff(before, after, budget=budget.for_field())


def revision_diff(old: Side, new: Side, *, budget: DiffBudget | None = None) -> dict[str, list[Chunk]]:
    """{field: [(op, text)]} for the fields that differ between two content dicts or revisions.

    Text fields are diffed word by word; list fields (LIST_DIFF_FIELDS) item by item, a chunk per item.

    Either side may be None (a new term: everything is inserted). Between two saved revisions,
    each field's diff is cached. A `budget` shared by several calls bounds their work together.
    """
    old_content, new_content = _content(old), _content(new)
    texts: dict[str, tuple[str, str]] = {}
    for field in DIFF_FIELDS:
        before, after = _as_text(old_content.get(field)), _as_text(new_content.get(field))
        if before != after:
            texts[field] = (before, after)
    keys = _cache_keys(old, new, texts)
    if keys is None:
        return {field: _field_diff(field, before, after, budget) for field, (before, after) in texts.items()}
    cached = cache.get_many(list(keys.values()))
    changes: dict[str, list[Chunk]] = {}
    missing: dict[str, list[Chunk]] = {}
    for field, (before, after) in texts.items():
        chunks = cached.get(keys[field])
        if chunks is None:
            chunks = missing[keys[field]] = _field_diff(field, before, after, budget)
        changes[field] = [(op, text) for op, text in chunks]
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return changes


def _content(side: Side) -> Mapping[str, Any]:
    return side.content() if isinstance(side, HasContent) else (side or {})


def _cache_keys(old: Side, new: Side, fields: Mapping[str, object]) -> dict[str, str] | None:
    """{field: cache key} when both sides are saved revisions (or nothing before), else None.

    The key names each revision by its id and creation time: ids alone come back after a
    database is recreated, while the cache may outlive it.
    """
    sides: list[str] = []
    for side in (old, new):
        pk, created_at = getattr(side, "pk", None), getattr(side, "created_at", None)
        if side is None:
            sides.append("0")
        elif pk and created_at and hasattr(side, "content"):
            sides.append(f"{pk}.{created_at.timestamp():.6f}")
        else:
            return None
    return {field: f"{CACHE_PREFIX}:{sides[0]}:{sides[1]}:{field}" for field in fields}
