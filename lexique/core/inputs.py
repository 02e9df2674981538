"""Rules for what contributors type besides names: the characters a text may hold, and source addresses.

An input is accepted only if every format the lexicon writes can write it (the pages, the API's JSON,
Turtle, RDF/XML, JSON-LD, TBX, CSV, the e-book's XHTML, the citations). The services call these
rules, so the forms, the API and every import meet the same ones. What is refused, and why:

- Lone surrogates: no UTF-8 file, and no database, can hold them.
- Control characters (C0, DEL, C1): XML cannot write most of them, and none is text a reader sees.
  Texts of several lines keep the tab and the line breaks; one-line texts keep none of them.
- Noncharacters (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE, U+FFFF …):
  Unicode reserves them for programs' own use, and XML refuses U+FFFE and U+FFFF.

A source address is normalised rather than refused where that is safe: http or https only, the
scheme and host in lower case, and every character that a URI cannot hold as it is (spaces, `{ } | ^`
backticks, quotes, angle brackets, a `%` that starts no escape, invisible characters …) percent-encoded,
as a browser does before sending it. The result is a valid IRI (RFC 3987) that the Turtle writer
accepts; applying the rule again gives the same address.
"""
import re
import unicodedata
from urllib.parse import SplitResult, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

SOURCE_URL_MAX_LENGTH = 2000
SOURCE_SCHEMES = ("http", "https")

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTI_LINE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
# What word processors and other systems write for a line or paragraph break (Word's manual line break
# is U+000B): a line break in a text of several lines.
_LINE_SEPARATORS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff]|[\U0001fffe-\U0010ffff]")
# Characters of a URI that need no escaping (RFC 3986: unreserved, sub-delims, ':', '@', '/', '?').
_URI_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?")
_HEX = frozenset("0123456789abcdefABCDEF")
_URL_VALIDATOR = URLValidator(schemes=list(SOURCE_SCHEMES))


def _noncharacter(value: str) -> str | None:
    for match in _NONCHARACTER.finditer(value):
        char = match.group()
        if char <= "\uffff" or (ord(char) & 0xFFFE) == 0xFFFE:
            return char
    return None


def unwritable_character(value: str, *, one_line: bool) -> str | None:
    """The first character of `value` that some format cannot write or that is no text, else None.

    A text of several lines may hold tabs and line breaks (and the line separators `clean_text` turns
    into line breaks); a one-line text none of them.
    """
    for pattern in (_SURROGATE, _CONTROL_ONE_LINE if one_line else _CONTROL_MULTI_LINE):
        match = pattern.search(value)
        if match:
            return match.group()
    return _noncharacter(value)


def refuse_unwritable(value: str, *, one_line: bool) -> None:
    """ValidationError naming the character when `value` holds one that `unwritable_character` finds."""
    char = unwritable_character(value, one_line=one_line)
    if char is None:
        return
    if one_line and (char in "\t\n\r" or _LINE_SEPARATORS.match(char)):
        message = _("Ce champ tient sur une ligne : retirez le saut de ligne ou la tabulation.")
    else:
        message = _("Ce texte contient un caractère de contrôle ou un non-caractère (U+%(code)04X) : "
                    "retirez-le.") % {"code": ord(char)}
    raise ValidationError(message, code="unwritable_character")


def clean_text(value: str, *, one_line: bool) -> str:
    """`value` without surrounding spaces, line separators of other systems made line breaks (texts of
    several lines); ValidationError if it holds a character some format cannot write."""
    text = (value or "").strip()
    if not one_line:
        text = _LINE_SEPARATORS.sub("\n", text)
    refuse_unwritable(text, one_line=one_line)
    return text


def clean_source_url(value: str) -> str:
    """A source address normalised as described above, or ValidationError with the reason in French."""
    url = (value or "").strip()
    if not url:
        raise ValidationError(_("Chaque source a une adresse."), code="required")
    if unwritable_character(url, one_line=True) is not None:
        raise ValidationError(
            _("Adresse de source invalide (caractère de contrôle ou non-caractère) : %(url)s")
            % {"url": url[:100].encode("ascii", "backslashreplace").decode("ascii")},
            code="invalid_source",
        )
    url = unicodedata.normalize("NFC", url)
    shown = url[:100]
    if len(url) > SOURCE_URL_MAX_LENGTH:
        raise ValidationError(_("Adresse de source trop longue : %(count)d caractères au plus.")
                              % {"count": SOURCE_URL_MAX_LENGTH}, code="too_long")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks it
    except ValueError:
        raise ValidationError(_("Adresse de source invalide : %(url)s") % {"url": shown},
                              code="invalid_source") from None
    if parts.scheme.lower() not in SOURCE_SCHEMES:
        raise ValidationError(
            _("Une source est une adresse web qui commence par http:// ou https:// : %(url)s") % {"url": shown},
            code="scheme",
        )
    if "@" in parts.netloc:
        raise ValidationError(
            _("Une adresse de source ne contient ni nom d'utilisateur ni mot de passe : %(url)s") % {"url": shown},
            code="credentials",
        )
    normal = urlunsplit(SplitResult(
        parts.scheme.lower(), parts.netloc.lower(), _encoded(parts.path), _encoded(parts.query),
        _encoded(parts.fragment),
    ))
    if len(normal) > SOURCE_URL_MAX_LENGTH:
        raise ValidationError(_("Adresse de source trop longue une fois encodée : %(count)d caractères au plus.")
                              % {"count": SOURCE_URL_MAX_LENGTH}, code="too_long")
    try:
        _URL_VALIDATOR(normal)
    except ValidationError:
        raise ValidationError(_("Adresse de source invalide : %(url)s") % {"url": shown},
                              code="invalid_source") from None
    return normal


def _encoded(part: str) -> str:
    """`part` with every character a URI cannot hold as it is percent-encoded (UTF-8), escapes kept."""
    out = []
    for index, char in enumerate(part):
        escape = part[index + 1:index + 3]
        if char in _URI_SAFE or (char == "%" and len(escape) == 2 and set(escape) <= _HEX):
            out.append(char)
        elif not char.isascii() and _iri_character(char):
            out.append(char)
        else:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
    return "".join(out)


def _iri_character(char: str) -> bool:
    """A non-ASCII character an IRI may hold as it is (RFC 3987's ucschar) and a reader can see:
    letters, marks, digits, punctuation and symbols; spaces, format and private-use characters are encoded."""
    code = ord(char)
    in_ucschar = (0xA0 <= code <= 0xD7FF or 0xF900 <= code <= 0xFDCF or 0xFDF0 <= code <= 0xFFEF
                  or (code >= 0x10000 and (code & 0xFFFF) <= 0xFFFD and code < 0xE0000)
                  or 0xE1000 <= code <= 0xEFFFD)
    return in_ucschar and unicodedata.category(char)[0] in "LMNPS"
