"""The shape of a source: its cleaning, its citation in each language, its line of text read back exactly."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lexique.core.sources import (
    MAX_LENGTHS,
    citation_html,
    citation_text,
    clean_source,
    csl_item,
    parse_source_line,
    source_line,
)
from tests.support.exports_data import CITED_SOURCES

BOOK, STANDARD, GLOSSARY, WEB_PAGE = CITED_SOURCES


def test_a_source_stored_the_old_way_is_valid_unchanged():
    assert clean_source({"title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}) == {
        "title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}


@pytest.mark.parametrize("source", CITED_SOURCES)
def test_a_book_a_standard_and_a_glossary_are_valid_and_clean_to_themselves(source):
    assert clean_source(source) == source


def test_a_book_needs_no_address_and_a_standard_may_stand_for_its_title():
    assert clean_source({"title": "Le Petit Robert", "year": 2024}) == {"title": "Le Petit Robert", "year": "2024"}
    assert clean_source({"standard": "ISO 704:2022"}) == {"title": "ISO 704:2022", "standard": "ISO 704:2022"}


@pytest.mark.parametrize(("source", "message"), [
    ({"author": "Quelqu'un"}, "Chaque source a un titre"),
    ({"title": "Livre", "year": "vers 1990"}, "L'année s'écrit en chiffres"),
    ({"title": "Livre", "definition": "de"}, "« fr » ou « en »"),
    ({"title": "Livre", "isbn": "978"}, "Clés inconnues : isbn"),
    ({"title": "x" * (MAX_LENGTHS["title"] + 1)}, "300 caractères au plus"),
    ({"title": "Page", "url": "ftp://example.org/"}, "commence par http:// ou https://"),
])
def test_a_bad_source_is_refused_with_a_clear_reason(source, message):
    with pytest.raises(ValidationError) as error:
        clean_source(source)
    assert message in " ".join(error.value.messages)


def test_the_reasons_are_in_english_on_the_english_site():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        clean_source({"title": "Book", "year": "about 1990"})
    assert "The year is written in digits" in error.value.messages[0]


def test_a_source_is_cited_in_the_readers_language():
    assert citation_text(BOOK, "fr") == ("Marie Tremblay, Dictionnaire de la culture numérique, "
                                         "Presses de l'Université Laval, 2021, p. 112-115")
    assert citation_text(BOOK, "en").endswith("2021, pp. 112-115")
    assert citation_text(STANDARD, "fr") == "Travaux terminologiques — Vocabulaire, ISO 1087:2019, ISO, 2019"
    assert citation_text(WEB_PAGE, "en") == "Office québécois de la langue française"


def test_a_citation_links_its_title_to_its_address_and_escapes_everything():
    html = citation_html({"title": "<b>R&D</b>", "author": "A & B", "url": "https://example.org/?a=1&b=2"}, "fr")
    assert html == ('A &amp; B, <cite><a href="https://example.org/?a=1&amp;b=2" rel="nofollow noopener">'
                    "&lt;b&gt;R&amp;D&lt;/b&gt;</a></cite>")
    assert citation_html(BOOK, "en", with_definition=True).endswith("(French definition)")


@pytest.mark.parametrize("source", CITED_SOURCES)
def test_a_sources_line_reads_back_exactly(source):
    assert parse_source_line(source_line(source)) == source
    with translation.override("fr"):
        assert parse_source_line(source_line(source, lang="fr")) == source


def test_an_old_sources_line_is_written_as_before():
    assert source_line(WEB_PAGE) == "Office québécois de la langue française <https://vitrinelinguistique.oqlf.gouv.qc.ca/>"


def test_a_line_typed_by_a_person_is_read_in_either_language():
    assert parse_source_line("Vocabulaire | ISO 1087:2019 | Année : 2019 | p. 12 | définition : français") == {
        "title": "Vocabulaire", "standard": "ISO 1087:2019", "year": "2019", "pages": "12", "definition": "fr"}
    assert parse_source_line("Report | author: Jane Doe | https://example.org/a|b") == {
        "title": "Report", "author": "Jane Doe", "url": "https://example.org/a|b"}


_texts = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40).map(
    str.strip).filter(bool)


@given(title=_texts, author=st.none() | _texts, publisher=st.none() | _texts, pages=st.none() | _texts,
       standard=st.none() | _texts)
def test_any_source_comes_back_from_its_line(title, author, publisher, pages, standard):
    parts = {"author": author, "publisher": publisher, "pages": pages, "standard": standard}
    source = {"title": title, **{key: value for key, value in parts.items() if value}}
    assert parse_source_line(source_line(source)) == source


def test_a_standard_is_a_standard_in_csl_json():
    item = csl_item(STANDARD, "s1")
    assert (item["type"], item["number"], item["issued"]) == ("standard", "ISO 1087:2019", {"date-parts": [[2019]]})
    assert csl_item(BOOK, "s2")["type"] == "book"
