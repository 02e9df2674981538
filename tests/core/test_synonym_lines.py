"""A synonym as a line of a spreadsheet cell: its text, then its kind and region when it has them."""
from hypothesis import assume, given
from hypothesis import strategies as st

from lexique.core.content import DesignationKind, Region, parse_synonym_line, synonym_line

texts = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60).map(
    str.strip).filter(bool)


@given(text=texts, kind=st.sampled_from(["", *DesignationKind.values]), region=st.sampled_from(["", *Region.values]))
def test_a_synonyms_line_reads_back_exactly(text, kind, region):
    assume(parse_synonym_line(text) == {"text": text})  # a text that itself ends like a detail is said below
    synonym = {"text": text, **({"kind": kind} if kind else {}), **({"region": region} if region else {})}
    assert parse_synonym_line(synonym_line(synonym)) == synonym


def test_a_line_of_before_is_its_text_and_a_pipe_that_names_nothing_belongs_to_it():
    assert synonym_line({"text": "IA", "lang": "fr", "status": "admitted"}) == "IA"
    assert parse_synonym_line("arts | lettres") == {"text": "arts | lettres"}
    assert parse_synonym_line("arts | lettres | region: be") == {"text": "arts | lettres", "region": "be"}


def test_kinds_and_regions_are_read_by_their_names_in_either_language():
    assert parse_synonym_line("IA | type: sigle | région: Québec") == {
        "text": "IA", "kind": "initialism", "region": "qc"}
    assert parse_synonym_line("AI | kind: acronym | region: international") == {
        "text": "AI", "kind": "acronym", "region": "intl"}
    # What no list names is kept as it is, for the services to refuse with their message.
    assert parse_synonym_line("IA | region: Mars") == {"text": "IA", "region": "Mars"}
