"""Typography at export time: curly quotes and apostrophes, French spacing; stored text is never changed.

French spacing follows one of two conventions, the site's LEXIQUE_TYPOGRAPHY (docs/formats.md):
- QUEBEC, the default, as the Office québécois de la langue française recommends: a no-break space before the
  colon and none before ; ! ?, a no-break space inside « »;
- FRANCE, as the Imprimerie nationale's rules: a narrow no-break space before ; : ! ? and inside « ».
"""
import html
import re

NNBSP = "\u202f"  # narrow no-break space, before ; : ! ? and inside « » in France
NBSP = "\u00a0"  # no-break space, before : and inside « » in Québec
QUEBEC, FRANCE = "quebec", "france"
CONVENTIONS = (QUEBEC, FRANCE)
_SPACE = "[ \u00a0\u202f\t]"
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
# One convention before high punctuation: a narrow no-break space after a word, a closing quote or a
# bracket, and only when a space or the end follows, so that "10:30", "https://" and "?id=3" stay as they are.
_FRENCH_HIGH = re.compile(rf"(?<=[\w»)\]…%’”]){_SPACE}?([;:!?]+)(?=\s|$|[)»\]”])")
# A space typed before the punctuation after something else (a digit, a sign) is made narrow and unbreakable.
_FRENCH_SPACED = re.compile(rf"{_SPACE}+([;:!?]+)(?=\s|$)")
# Québec: the colon as in France (with a wider space), and no space at all before the other high punctuation.
_QUEBEC_COLON = re.compile(rf"(?<=[\w»)\]…%’”]){_SPACE}?(:+)(?=\s|$|[)»\]”])")
_QUEBEC_SPACED_COLON = re.compile(rf"{_SPACE}+(:+)(?=\s|$)")
_QUEBEC_OTHERS = re.compile(rf"(?<=\S){_SPACE}+([;!?]+)(?=\s|$|[)»\]”])")
_GUILLEMET_OPEN = re.compile(rf"«{_SPACE}*")
_GUILLEMET_CLOSE = re.compile(rf"{_SPACE}*»")
_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = {"code", "pre", "kbd", "samp"}
# Text without any of these is printed as it is: most headwords and definitions, which spares the
# regular expressions below (a third of a large export's time otherwise).
TRIGGERS = frozenset("'\";:!?«»")
_HTML_TRIGGERS = TRIGGERS | {"&"}
_OPENING_CONTEXT = set(" \t\n\u00a0\u202f([{«“‘—–-/")


def _quotes(text: str, lang: str, before: str, space: str) -> str:
    """Straight quotes made curly: a quote after a space or an opening bracket opens, any other closes."""
    if '"' not in text and "'" not in text:
        return text
    out, previous = [], before
    double_open, double_close = ("«" + space, space + "»") if lang == "fr" else ("“", "”")
    for char in text:
        if char == '"':
            char = double_open if previous in _OPENING_CONTEXT else double_close
        elif char == "'":
            # In French a single quote is an apostrophe; in English it may also open a quotation.
            char = "‘" if lang != "fr" and previous in _OPENING_CONTEXT else "’"
        out.append(char)
        previous = char[-1]
    return "".join(out)


def typeset(text: str, lang: str, before: str = " ", convention: str = FRANCE) -> str:
    """Plain text as a publisher would print it in `lang` ("fr" or "en") by `convention` (QUEBEC or FRANCE);
    `before` is the character that precedes it on the page, which decides whether a first quote opens or
    closes."""
    if not text or (TRIGGERS.isdisjoint(text) and "..." not in text):
        return text or ""
    space = NBSP if convention == QUEBEC else NNBSP
    text = _APOSTROPHE.sub("’", text)
    text = _quotes(text, lang, before, space)
    text = _ELLIPSIS.sub("…", text)
    if lang == "fr" and convention == QUEBEC:
        text = _QUEBEC_COLON.sub(NBSP + r"\1", text)
        text = _QUEBEC_SPACED_COLON.sub(NBSP + r"\1", text)
        text = _QUEBEC_OTHERS.sub(r"\1", text)
    elif lang == "fr":
        text = _FRENCH_HIGH.sub(NNBSP + r"\1", text)
        text = _FRENCH_SPACED.sub(NNBSP + r"\1", text)
    if lang == "fr":
        text = _GUILLEMET_OPEN.sub("«" + space, text)
        text = _GUILLEMET_CLOSE.sub(space + "»", text)
    return text


def curly_apostrophes(text: str | None) -> str:
    """Only the apostrophes, for text whose language is unknown (the titles of sources)."""
    return _APOSTROPHE.sub("’", text or "")


def _text_of(fragment: str) -> str:
    """The text between tags (attributes hold quotes and colons that typesetting never touches)."""
    return "".join(_TAG.split(fragment)[::2]) if "<" in fragment else fragment


def typeset_html(fragment: str, lang: str, convention: str = FRANCE) -> str:
    """The same for sanitised HTML: only text between tags changes, never tags, attributes or code."""
    if not fragment:
        return fragment or ""
    # Tags and all: most definitions are paragraphs with nothing to change, and have no attributes either.
    if _HTML_TRIGGERS.isdisjoint(fragment) and "..." not in fragment:
        return fragment
    text = _text_of(fragment)
    if _HTML_TRIGGERS.isdisjoint(text) and "..." not in text:
        return fragment
    out, verbatim, before = [], 0, " "
    for part in _TAG.split(fragment):
        if part.startswith("<"):
            name = part.strip("</>").split(None, 1)[0].lower() if part.strip("</>") else ""
            if name in _VERBATIM:
                verbatim += -1 if part.startswith("</") else 1
            elif name in {"p", "li", "br", "blockquote"}:
                before = " "
            out.append(part)
        elif part:
            text = html.unescape(part)
            if not verbatim:
                text = typeset(text, lang, before, convention)
            before = text[-1]
            out.append(html.escape(text, quote=False))
    return "".join(out)
