"""Text helpers of the lexicon: search/sort keys and safe Markdown."""
import re
import unicodedata
from typing import Any

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt

# Letters that Unicode decomposition leaves whole but French readers see as two.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'", "ʼ": "'"})
# The accents of Latin letters, removed in one pass; any other combining mark is looked for one by one.
_ACCENTS = dict.fromkeys(c for c in range(0x300, 0x370) if unicodedata.combining(chr(c)))


def normalize(text: str) -> str:
    """Lower case, accents and ligatures folded, spaces collapsed: 'Écosystème' -> 'ecosysteme'."""
    text = text or ""
    if not text.isascii():  # ASCII has no accent or ligature to fold: most keys skip this
        text = unicodedata.normalize("NFKD", text.translate(_LIGATURES)).translate(_ACCENTS)
        if not text.isascii():
            text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def initial(text: str) -> str:
    """The A–Z letter a headword is filed under ('#' for anything that is not a letter)."""
    return initial_of_key(normalize(text))


def initial_of_key(key: str) -> str:
    """The same for a key already made by `normalize`."""
    for char in key:
        if char.isalnum():
            return char.upper() if "a" <= char <= "z" else "#"
    return "#"


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
}


def render_markdown(source: str) -> str:
    """Markdown to HTML that is safe to show: raw HTML off, then sanitised, links http(s) only."""
    if not source:
        return ""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    ).strip()


def slug_for(headword: str) -> str:
    """A readable URL slug: 'droit d’auteur' -> 'droit-d-auteur', 'Œuvre' -> 'oeuvre'."""
    return slugify(re.sub(r"['’ʼ]", "-", (headword or "").translate(_LIGATURES)))[:200]


def markdown_text(source: str) -> str:
    """Markdown as plain text, for formats whose readers show text as it is (TBX, SKOS literals, spreadsheets).

    Emphasis and code marks are dropped, a link keeps its text and its address in brackets, each list item is a
    line of its own ("- " or "1. "), paragraphs and other blocks are separated by an empty line.
    """
    if not source:
        return ""
    blocks: list[str] = []
    prefixes: list[str] = []  # the mark of the list item each open list is at
    numbers: list[int | None] = []  # each open list's next number; None for a bullet list
    for token in _markdown.parse(source):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            if not numbers:
                blocks.append("")  # a list is one block, its items one line each
            numbers.append(None if token.type == "bullet_list_open" else int(token.attrGet("start") or 1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif token.type == "list_item_open":
            number = numbers[-1] if numbers else None
            prefixes.append("- " if number is None else f"{number}. ")
            if number is not None:
                numbers[-1] = number + 1
        elif token.type == "list_item_close":
            prefixes.pop()
        elif token.type in ("inline", "fence", "code_block"):
            text = _inline_text(token.children or []) if token.type == "inline" else token.content.rstrip("\n")
            if prefixes and token.type == "inline":
                # The item's first block carries its mark; the list's lines stay together.
                mark = prefixes[-1]
                prefixes[-1] = " " * len(mark)
                indent = "  " * (len(prefixes) - 1)
                blocks[-1] += ("\n" if blocks[-1] else "") + indent + mark + text
                continue
            blocks.append(text)
        elif token.type == "hr":
            blocks.append("—")
    return "\n\n".join(block for block in blocks if block.strip()).strip()


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    href = ""
    start = 0
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            href, start = str(child.attrGet("href") or ""), len(parts)
        elif child.type == "link_close":
            label = "".join(parts[start:])
            if href and href not in (label, f"mailto:{label}"):
                parts.append(f" ({href})")
    return "".join(parts)


_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,15}):(//)")
# A host name as mail programs recognise one: labels, then an alphabetic top-level label.
_HOST = re.compile(r"(?i)(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+)([a-z]{2,24})(?![\w-])")


def plain_links(text: str) -> str:
    """`text` with its web addresses written so that no mail program turns them into links:
    `https://exemple.org/x` becomes `https[:]//exemple[.]org/x` (a reader can still see and copy it)."""
    text = _SCHEME.sub(r"\1[:]\2", text)
    return _HOST.sub(lambda match: match.group(1).replace(".", "[.]") + match.group(2), text)
