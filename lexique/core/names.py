"""Rules for the names people choose (headwords, synonyms, usernames): one function for each rule.

The services, the forms and the API all call these, so a name refused in one place is refused in
every other. What is refused, and why:

- Names are stored in Unicode NFC, so that 'é' typed as one character or as 'e' + accent is one name.
- Format characters (Unicode category Cf) are invisible: bidirectional controls (U+202A–U+202E,
  U+2066–U+2069, U+200E, U+200F) reorder what a reader sees, zero-width spaces and the like hide a
  difference between two names. All are refused, except the zero-width joiner and non-joiner
  (U+200D, U+200C) between two visible characters: Persian, Indic scripts and emoji sequences need
  them there. Private-use characters show differently on every machine and are refused too.
- A name needs at least one visible character (a letter, digit, punctuation mark or symbol).
- A name that mixes scripts and looks like an existing name (a Cyrillic 'е' in 'mеtadonnées')
  is refused: its "skeleton", each letter of another script replaced by the Latin letter it can be
  taken for, then case and accents folded, is that of the existing name.
- Usernames are unique whatever their case.
"""
import hashlib
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lexique.core.inputs import refuse_unwritable
from lexique.core.text import normalize, slug_for

_JOINERS = {"\u200c", "\u200d"}
# Letters and symbols that Unicode files as visible but that draw nothing (Hangul fillers, braille blank).
_BLANK = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
_REFUSED_CATEGORIES = {"Cf", "Co", "Cs"}
# Scripts whose letters are never mapped: Latin is what other scripts imitate here; Common and
# Inherited (digits, punctuation, accents) belong to every script.
_BASE_SCRIPTS = {"LATIN", "COMMON", "INHERITED"}


def clean_name(value: str) -> str:
    """The name in NFC without surrounding spaces; ValidationError for hidden or invisible characters."""
    name = unicodedata.normalize("NFC", value or "").strip()
    for position, char in enumerate(name):
        if unicodedata.category(char) not in _REFUSED_CATEGORIES:
            continue
        if char in _JOINERS and 0 < position < len(name) - 1 and _visible(name[position - 1]) \
                and _visible(name[position + 1]):
            continue
        raise ValidationError(
            _("Ce nom contient un caractère invisible ou qui change le sens de l'écriture (U+%(code)04X) : "
              "retirez-le.") % {"code": ord(char)},
            code="hidden_character",
        )
    refuse_unwritable(name, one_line=True)  # control characters and noncharacters, as in every text
    if name and not any(_visible(char) for char in name):
        raise ValidationError(_("Ce nom ne contient aucun caractère visible."), code="invisible")
    return name


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK


def skeleton(name: str) -> str:
    """What a name looks like: letters of other scripts taken as the Latin letters they imitate,
    then case, accents and spaces folded as in search keys. 'mеtadonnées' (Cyrillic е) -> 'metadonnees'.
    """
    decomposed = unicodedata.normalize("NFD", name or "")
    return normalize("".join(_latin_lookalike(char) for char in decomposed))


@lru_cache(maxsize=4096)
def _latin_lookalike(char: str) -> str:
    if categories.alias(char) in _BASE_SCRIPTS:
        return char
    for homoglyph in confusables.confusables_data.get(char, ()):
        glyph = homoglyph["c"]
        if len(glyph) == 1 and categories.alias(glyph) == "LATIN":
            return glyph
    return char


def is_deceptive(name: str) -> bool:
    """Mixed scripts with a letter that passes for another script's: a name that can pass for another."""
    if all(ord(char) < _LATIN_ONLY for char in name):  # Latin and common characters only: one script (fast path)
        return False
    return bool(confusables.is_dangerous(name))


# Below this code point every character is of the Latin script or common to all (Basic Latin to Latin Extended-B).
_LATIN_ONLY = 0x250


def refuse_lookalike(name: str, existing: Iterable[str]) -> None:
    """ValidationError if `name` mixes scripts to look like one of the `existing` names."""
    if not is_deceptive(name):
        return
    key = skeleton(name)
    for other in existing:
        if other != name and skeleton(other) == key:
            raise ValidationError(
                _("« %(name)s » se confond avec « %(existing)s », qui existe déjà : il mêle des alphabets "
                  "(par exemple une lettre cyrillique parmi des lettres latines).")
                % {"name": name, "existing": other},
                code="confusable",
            )


def term_slug(headword: str) -> str:
    """The slug of a headword: readable Latin letters, plus a short fingerprint of the headword when
    letters would be lost (other scripts), so that '数字化' and 'إبداع' never share one slug."""
    slug, key = slug_for(headword), normalize(headword)
    if slug and all(char.isascii() or not char.isalnum() for char in key):
        return slug
    fingerprint = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{slug[:180].rstrip('-') or 'terme'}-{fingerprint}"


def distinct_slug(headword: str) -> str:
    """The slug of a headword whose `term_slug` another headword already holds ('Aché' beside 'Ache',
    'Kwa'' beside 'Kwa'): the same readable letters and a fingerprint of the exact headword, so that two
    headwords that differ in any character never share a slug."""
    exact = exact_headword(headword)
    fingerprint = hashlib.sha256(exact.encode()).hexdigest()[:10]
    return f"{term_slug(exact)[:180].rstrip('-') or 'terme'}-{fingerprint}"


def exact_headword(headword: str) -> str:
    """A headword as it is compared for identity: in NFC, without surrounding spaces, every other character kept."""
    return unicodedata.normalize("NFC", headword or "").strip()


def same_headword(one: str, other: str) -> bool:
    """Whether two headwords are the same designation: equal once both are in NFC, to the character."""
    return exact_headword(one) == exact_headword(other)


def same_entry(one: str, other: str) -> bool:
    """Whether two headwords would be one entry of the lexicon: the same characters, case aside
    ('Numérique' and 'numérique'; never 'Ache' and 'Aché', nor 'Kwa' and 'Kwa'')."""
    return exact_headword(one).casefold() == exact_headword(other).casefold()
