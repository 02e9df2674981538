"""A headword's part of speech, gender and region: the GDT's abbreviations in each language, the free text of
before read into the values, and each value's name in LexInfo and TBX."""
import pytest

from lexique.core.grammar import (
    LEXINFO_GENDERS,
    LEXINFO_PARTS_OF_SPEECH,
    REGION_CODES,
    TBX_GENDERS,
    TBX_PARTS_OF_SPEECH,
    Gender,
    PartOfSpeech,
    grammar_from_lexinfo,
    grammar_from_tbx,
    grammar_label,
    headword_grammar,
    lexinfo_values,
    parse_category,
    region_from_code,
    tbx_grammar,
)
from lexique.core.content import Region


@pytest.mark.parametrize(("part", "gender", "french", "english"), [
    ("noun", "masculine", "n. m.", "n. m."),
    ("noun", "", "n.", "n."),
    ("noun", "epicene", "n. m. ou f.", "n. m. or f."),
    ("verb", "", "v.", "v."),
    ("adjective", "", "adj.", "adj."),
    ("noun_phrase", "feminine", "loc. nom. f.", "n. phr. f."),
    ("verb_phrase", "", "loc. verb.", "v. phr."),
    ("", "masculine", "", ""),
])
def test_each_language_prints_the_gdts_abbreviation(part, gender, french, english):
    assert grammar_label(part, gender, "fr") == french
    assert grammar_label(part, gender, "en") == english


@pytest.mark.parametrize(("category", "expected"), [
    ("n. m.", ("noun", "masculine")),
    ("n.  f.", ("noun", "feminine")),
    ("v.", ("verb", "")),
    ("adj.", ("adjective", "")),
    ("loc. nom. f.", ("noun_phrase", "feminine")),
    ("loc. n. m.", ("noun_phrase", "masculine")),
    ("loc. v.", ("verb_phrase", "")),
    ("n. m. ou f.", ("noun", "epicene")),
    ("n. m. pl.", None),
    ("v. tr.", None),
    ("sigle", None),
    ("", None),
])
def test_a_free_text_category_is_read_only_where_the_values_say_it_exactly(category, expected):
    assert parse_category(category) == expected


def test_every_label_the_values_print_reads_back_as_the_same_values():
    for part in PartOfSpeech.values:
        for gender in ("", *Gender.values):
            assert parse_category(grammar_label(part, gender, "fr")) == (part, gender)


def test_the_free_text_says_more_in_french_and_the_values_speak_for_english():
    term = {"category": "n. f. pl.", "part_of_speech_fr": "noun", "gender_fr": "feminine",
            "part_of_speech_en": "noun"}
    assert headword_grammar(term, "fr") == "n. f. pl."
    assert headword_grammar(term, "en") == "n."
    assert headword_grammar({"category": "loc. n. f. pl."}, "en") == "n. phr. pl."
    assert headword_grammar({"part_of_speech_fr": "adverb"}, "fr") == "adv."
    # Without English values, English pages say the French part of speech in English, as they always did.
    assert headword_grammar({"part_of_speech_fr": "noun", "gender_fr": "masculine"}, "en") == "n."


def test_every_value_has_a_lexinfo_and_a_tbx_name_and_comes_back_from_them():
    for part in PartOfSpeech.values:
        assert part in LEXINFO_PARTS_OF_SPEECH and part in TBX_PARTS_OF_SPEECH
        for gender in Gender.values:
            assert gender in LEXINFO_GENDERS and gender in TBX_GENDERS
            individual, phrase, genders = lexinfo_values(part, gender)
            assert grammar_from_lexinfo(individual or "", phrase, genders) == (part, gender)
            notes = dict(tbx_grammar(part, gender))
            assert grammar_from_tbx(notes["partOfSpeech"], notes.get("termType", ""),
                                    notes["grammaticalGender"]) == (part, gender)
    for region in Region.values:
        assert region_from_code(REGION_CODES[region]) == region
