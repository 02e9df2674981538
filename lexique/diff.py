"""Word-level differences between two revisions, for reviewers, history pages and API conflicts."""
import difflib
import re

from .models.content import LANGUAGES, TRANSLATED_FIELDS

# Words with their trailing spaces, so that joining the tokens gives the text back exactly.
_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str):
    """[(op, text)] with op in 'equal', 'delete', 'insert': a readable word diff of two texts."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    chunks = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            chunks.append(("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            chunks.append(("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            chunks.append(("insert", "".join(b[j1:j2])))
    return chunks


def _as_text(value):
    if isinstance(value, list):
        return "\n".join(_item_text(item) for item in value)
    return value or ""


def _item_text(item):
    if isinstance(item, dict):
        if "url" in item:
            return f"{item.get('title', '')} <{item['url']}>"
        return f"{item.get('text', '')} ({item.get('lang', '')}, {item.get('status', '')})"
    return str(item)


DIFF_FIELDS = [f"{field}_{lang}" for field in TRANSLATED_FIELDS for lang in LANGUAGES] + [
    "category", "sources", "synonyms", "domains", "related",
]


def revision_diff(old, new):
    """{field: [(op, text)]} for the fields that differ between two content dicts or revisions.

    Either side may be None (a new term: everything is inserted).
    """
    old_content = old.content() if hasattr(old, "content") else (old or {})
    new_content = new.content() if hasattr(new, "content") else (new or {})
    changes = {}
    for field in DIFF_FIELDS:
        before, after = _as_text(old_content.get(field)), _as_text(new_content.get(field))
        if before != after:
            changes[field] = word_diff(before, after)
    return changes
