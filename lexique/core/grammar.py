"""A headword's grammar and region in each language: controlled values, how the Grand dictionnaire
terminologique abbreviates them in French and in English, and what LexInfo and TBX call them.

A term says, per language, its headword's part of speech, its gender and the region it is used in
(`GRAMMAR_FIELDS`, one column per language). What these values cannot say ("n. m. pl.", "v. tr.") stays
word for word in the free-text `category` of the French headword, as it always did.
"""
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lexique.core.content import LANGUAGES, Region


class PartOfSpeech(models.TextChoices):
    """What a headword is: a word of one part of speech, or a phrase ("locution") built around one."""

    NOUN = "noun", pgettext_lazy("partie du discours", "nom")
    VERB = "verb", _("verbe")
    ADJECTIVE = "adjective", _("adjectif")
    ADVERB = "adverb", _("adverbe")
    NOUN_PHRASE = "noun_phrase", _("locution nominale")
    VERB_PHRASE = "verb_phrase", _("locution verbale")
    ADJECTIVE_PHRASE = "adjective_phrase", _("locution adjectivale")
    ADVERB_PHRASE = "adverb_phrase", _("locution adverbiale")


class Gender(models.TextChoices):
    """A headword's grammatical gender; epicene: one form for both ("un ou une bénévole")."""

    MASCULINE = "masculine", _("masculin")
    FEMININE = "feminine", _("féminin")
    EPICENE = "epicene", _("épicène")


# The per-language fields of a term's content that this module rules, in the order forms and files give them.
GRAMMAR_FIELDS = ("part_of_speech", "gender", "region")
GRAMMAR_CHOICES: dict[str, type[models.TextChoices]] = {
    "part_of_speech": PartOfSpeech, "gender": Gender, "region": Region,
}
GRAMMAR_FIELD_NAMES = tuple(f"{field}_{lang}" for lang in LANGUAGES for field in GRAMMAR_FIELDS)

# The abbreviation of each part of speech as the GDT prints it, in each language: (French, English).
_PARTS: dict[str, tuple[str, str]] = {
    PartOfSpeech.NOUN: ("n.", "n."),
    PartOfSpeech.VERB: ("v.", "v."),
    PartOfSpeech.ADJECTIVE: ("adj.", "adj."),
    PartOfSpeech.ADVERB: ("adv.", "adv."),
    PartOfSpeech.NOUN_PHRASE: ("loc. nom.", "n. phr."),
    PartOfSpeech.VERB_PHRASE: ("loc. verb.", "v. phr."),
    PartOfSpeech.ADJECTIVE_PHRASE: ("loc. adj.", "adj. phr."),
    PartOfSpeech.ADVERB_PHRASE: ("loc. adv.", "adv. phr."),
}
_GENDERS: dict[str, tuple[str, str]] = {
    Gender.MASCULINE: ("m.", "m."),
    Gender.FEMININE: ("f.", "f."),
    Gender.EPICENE: ("m. ou f.", "m. or f."),
}
# Other spellings of the French abbreviations that contributors wrote before the values were controlled.
_FRENCH_ALIASES = {"loc. n.": "loc. nom.", "loc. v.": "loc. verb.", "n. é.": "n. m. ou f.",
                   "n. épicène": "n. m. ou f.", "n. m. et f.": "n. m. ou f."}

# LexInfo 3.0 (https://www.lexinfo.net/ontology/3.0/lexinfo), the vocabulary OntoLex-Lemon lexicons use.
LEXINFO = "http://www.lexinfo.net/ontology/3.0/lexinfo#"
# LexInfo, like TBX, says a phrase as its head's part of speech with the term type of a phrase
# (lexinfo:termType lexinfo:phraseologicalUnit, ISO 12620's): (partOfSpeech individual, is a phrase).
LEXINFO_PARTS_OF_SPEECH: dict[str, tuple[str, bool]] = {
    PartOfSpeech.NOUN: ("noun", False), PartOfSpeech.VERB: ("verb", False),
    PartOfSpeech.ADJECTIVE: ("adjective", False), PartOfSpeech.ADVERB: ("adverb", False),
    PartOfSpeech.NOUN_PHRASE: ("noun", True), PartOfSpeech.VERB_PHRASE: ("verb", True),
    PartOfSpeech.ADJECTIVE_PHRASE: ("adjective", True), PartOfSpeech.ADVERB_PHRASE: ("adverb", True),
}
LEXINFO_PHRASE = "phraseologicalUnit"
# An epicene noun is either: LexInfo says so with both genders (its commonGender is the Scandinavian common gender).
LEXINFO_GENDERS: dict[str, tuple[str, ...]] = {
    Gender.MASCULINE: ("masculine",), Gender.FEMININE: ("feminine",), Gender.EPICENE: ("masculine", "feminine"),
}
# TBX-Basic's partOfSpeech picklist has no phrases: a phrase is its head's part of speech, termType "phrase".
TBX_PARTS_OF_SPEECH: dict[str, tuple[str, str | None]] = {
    PartOfSpeech.NOUN: ("noun", None), PartOfSpeech.VERB: ("verb", None),
    PartOfSpeech.ADJECTIVE: ("adjective", None), PartOfSpeech.ADVERB: ("adverb", None),
    PartOfSpeech.NOUN_PHRASE: ("noun", "phrase"), PartOfSpeech.VERB_PHRASE: ("verb", "phrase"),
    PartOfSpeech.ADJECTIVE_PHRASE: ("adjective", "phrase"), PartOfSpeech.ADVERB_PHRASE: ("adverb", "phrase"),
}
# TBX's grammaticalGender picklist: masculine, feminine, neuter, other.
TBX_GENDERS: dict[str, str] = {Gender.MASCULINE: "masculine", Gender.FEMININE: "feminine", Gender.EPICENE: "other"}
# A region's ISO 3166 code (a subdivision's for Québec), else its name: TBX's geographicalUsage (free text),
# RDF's dcterms:spatial.
REGION_CODES: dict[str, str] = {Region.QUEBEC: "CA-QC", Region.FRANCE: "FR", Region.BELGIUM: "BE",
                               Region.SWITZERLAND: "CH", Region.INTERNATIONAL: "international"}


def tbx_grammar(part_of_speech: str, gender: str) -> tuple[tuple[str, str], ...]:
    """A headword's values as TBX-Basic termNotes: (partOfSpeech, termType, grammaticalGender), those it has."""
    notes: list[tuple[str, str]] = []
    if part_of_speech in TBX_PARTS_OF_SPEECH:
        tbx_part, term_type = TBX_PARTS_OF_SPEECH[part_of_speech]
        notes.append(("partOfSpeech", tbx_part))
        if term_type:
            notes.append(("termType", term_type))
    if gender in TBX_GENDERS:
        notes.append(("grammaticalGender", TBX_GENDERS[gender]))
    return tuple(notes)


def grammar_from_tbx(part_of_speech: str, term_type: str, gender: str) -> tuple[str, str]:
    """The values termNotes say (the inverse of `tbx_grammar`): ('noun', 'phrase', 'feminine') ->
    ('noun_phrase', 'feminine'); '' for what they do not say."""
    wanted = (part_of_speech.lower(), term_type.lower() or None)
    part = next((value for value, pair in TBX_PARTS_OF_SPEECH.items() if pair == wanted), "")
    genders = {tbx: value for value, tbx in TBX_GENDERS.items()}
    return part, genders.get(gender.lower(), "")


def region_from_code(usage: str) -> str:
    """A geographicalUsage or dcterms:spatial as a region ('CA-QC' -> 'qc', a region's own code too); '' else."""
    text = usage.strip()
    by_usage = {tbx.lower(): value for value, tbx in REGION_CODES.items()}
    return by_usage.get(text.lower(), text.lower() if text.lower() in Region.values else "")


def lexinfo_values(part_of_speech: str, gender: str) -> tuple[str | None, bool, tuple[str, ...]]:
    """A headword's values in LexInfo's local names: (partOfSpeech or None, a phrase, genders)."""
    part, phrase = LEXINFO_PARTS_OF_SPEECH.get(part_of_speech, (None, False))
    return part, phrase, LEXINFO_GENDERS.get(gender, ())


def grammar_from_lexinfo(part: str, phrase: bool, genders: Iterable[str]) -> tuple[str, str]:
    """The values LexInfo's local names say ('noun', a phrase, ['feminine']): the inverse of `lexinfo_values`,
    '' for what they do not say."""
    value = next((name for name, pair in LEXINFO_PARTS_OF_SPEECH.items() if pair == (part, phrase)), "")
    said = tuple(sorted(set(genders)))
    gender = next((name for name, values in LEXINFO_GENDERS.items() if tuple(sorted(values)) == said), "")
    return value, gender


def grammar_label(part_of_speech: str, gender: str, lang: str) -> str:
    """The GDT's abbreviation for a part of speech and gender in `lang`: ('noun', 'masculine', 'fr') -> 'n. m.',
    ('noun', '', 'en') -> 'n.', ('noun_phrase', 'feminine', 'fr') -> 'loc. nom. f.'; '' without a part of speech."""
    column = 1 if lang == "en" else 0
    part = _PARTS.get(part_of_speech)
    if part is None:
        return ""
    genders = _GENDERS.get(gender)
    return f"{part[column]} {genders[column]}" if genders else part[column]


# Every label the values give in French, for reading the free text of before: "n. m." -> ("noun", "masculine").
_FRENCH_LABELS = {grammar_label(part, gender, "fr"): (part, gender)
                  for part in PartOfSpeech.values for gender in ("", *Gender.values)}


def parse_category(category: str) -> tuple[str, str] | None:
    """The (part of speech, gender) a French category says ("n. m.", "loc. n. f.", "adj."), or None when the
    values cannot say it exactly ("n. m. pl.", "v. tr.", "sigle"): such a text is kept as it is."""
    text = " ".join((category or "").split())
    for alias, canonical in _FRENCH_ALIASES.items():
        if text == alias or text.startswith(alias + " "):
            text = canonical + text[len(alias):]
            break
    return _FRENCH_LABELS.get(text)


# English labels for the free-text French categories of before (nouns have no gender in English).
_ENGLISH_PARTS = {"n.": "n.", "v.": "v.", "adj.": "adj.", "adv.": "adv.", "pron.": "pron.", "prép.": "prep.",
                  "sigle": "abbr.", "acronyme": "abbr.", "abrév.": "abbr."}
_ENGLISH_MARKS = {"tr.": "tr.", "intr.": "intr.", "pl.": "pl."}
_FRENCH_GENDERS = {"m.", "f.", "inv."}


def english_category(category: str | None) -> str:
    """A free-text French category in English: 'loc. n. f. pl.' -> 'n. phr. pl.'; '' when a word has no label."""
    words = (category or "").split()
    if not words or any(w not in _ENGLISH_PARTS and w not in _ENGLISH_MARKS and w not in _FRENCH_GENDERS
                        and w not in ("loc.", "nom.", "verb.") for w in words):
        return ""
    words = [{"nom.": "n.", "verb.": "v."}.get(w, w) for w in words]
    parts = [_ENGLISH_PARTS[w] for w in words if w in _ENGLISH_PARTS]
    if "loc." in words:
        parts.append("phr.")
    parts += [_ENGLISH_MARKS[w] for w in words if w in _ENGLISH_MARKS]
    return " ".join(parts)


def _field(content: object, name: str) -> str:
    """A field of a term's content, whether a Term, a Revision or an export's entry (dict or object)."""
    value = content.get(name) if isinstance(content, dict) else getattr(content, name, "")
    return value or ""


def headword_grammar(content: object, lang: str) -> str:
    """The grammatical label of a term's headword in `lang` (a Term, a Revision or an export's entry, dict or
    object). In French, the free-text category when there is one (it says more than the values: "n. m. pl."),
    else the values' abbreviation. In English, the English values' abbreviation; without them, what English pages
    have always shown: the French part of speech in English (nouns have no gender there), else the free text's."""
    category = _field(content, "category")
    if lang != "en" and category:
        return category
    label = grammar_label(_field(content, f"part_of_speech_{lang}"), _field(content, f"gender_{lang}"), lang)
    if label or lang != "en":
        return label
    return grammar_label(_field(content, "part_of_speech_fr"), "", "en") or english_category(category)


def region_label(region: str) -> str:
    """A region as readers are told it ('qc' -> 'Québec'); '' for none, an unknown value as it is."""
    if not region:
        return ""
    return str(Region(region).label) if region in Region.values else region


def headword_region(content: object, lang: str) -> str:
    """The region label of a term's headword in `lang` ('' for none): the GDT's "Québec" beside a term."""
    return region_label(_field(content, f"region_{lang}"))


def grammar_values(content: object, lang: str) -> dict[str, str]:
    """A headword's part of speech, gender and region in `lang` ('' for none) and its abbreviation as the site
    prints it: what the API gives of each language."""
    values = {field: _field(content, f"{field}_{lang}") for field in GRAMMAR_FIELDS}
    return {**values, "abbreviation": headword_grammar(content, lang)}


def grammar_value_label(name: str, value: str) -> str:
    """What readers call a value of a grammar field ('part_of_speech_fr', 'noun' -> 'nom'); '' for none, an
    unknown value as it is."""
    choices = GRAMMAR_CHOICES.get(name.rsplit("_", 1)[0])
    if not value or choices is None:
        return value or ""
    return str(choices(value).label) if value in choices.values else value


def category_as_values(content: dict[str, Any]) -> None:
    """A free-text category the values say exactly ("n. m.") becomes the French headword's values, when it has
    none or the same: a file or a client of before keeps its meaning, and one rule decides what is free text."""
    parsed = parse_category(content.get("category") or "")
    if parsed is None:
        return
    given = (content.get("part_of_speech_fr") or "", content.get("gender_fr") or "")
    if given in (("", ""), parsed):
        content["part_of_speech_fr"], content["gender_fr"] = parsed
        content["category"] = ""
