"""Text helpers of the lexicon: search/sort keys and safe Markdown."""
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

# Letters that Unicode decomposition leaves whole but French readers see as two.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'", "ʼ": "'"})
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower case, accents and ligatures folded, spaces collapsed: 'Écosystème' -> 'ecosysteme'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def initial(text: str) -> str:
    """The A–Z letter a headword is filed under ('#' for anything that is not a letter)."""
    key = normalize(text)
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
    from django.utils.text import slugify

    return slugify(re.sub(r"['’ʼ]", "-", (headword or "").translate(_LIGATURES)))[:200]
