"""Text helpers of the lexicon: search/sort keys and safe Markdown."""
import re
import unicodedata

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


_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,15}):(//)")
# A host name as mail programs recognise one: labels, then an alphabetic top-level label.
_HOST = re.compile(r"(?i)(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+)([a-z]{2,24})(?![\w-])")


def plain_links(text: str) -> str:
    """`text` with its web addresses written so that no mail program turns them into links:
    `https://exemple.org/x` becomes `https[:]//exemple[.]org/x` (a reader can still see and copy it)."""
    text = _SCHEME.sub(r"\1[:]\2", text)
    return _HOST.sub(lambda match: match.group(1).replace(".", "[.]") + match.group(2), text)
