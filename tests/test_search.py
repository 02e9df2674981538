"""Search: accent- and case-blind everywhere; full text and typo tolerance on PostgreSQL."""
import pytest
from django.db import connection

from lexique.models import Term

from .factories import publish_term

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text and trigram need PostgreSQL")


def headwords(query):
    return [term.headword_fr for term in Term.objects.published().search(query)]


@pytest.fixture
def lexicon():
    publish_term(headword_fr="métadonnées", headword_en="metadata", definition_fr="Données qui décrivent une œuvre.")
    publish_term(headword_fr="données ouvertes", headword_en="open data", definition_fr="Données publiées librement.")
    publish_term(headword_fr="numérisation", headword_en="digitisation", definition_fr="Passage au format numérique.")


def test_the_headword_that_matches_best_comes_first(lexicon):
    assert headwords("donnees")[0] == "données ouvertes"
    assert set(headwords("donnees")) == {"données ouvertes", "métadonnées"}


def test_english_headwords_are_found_too(lexicon):
    assert headwords("open data") == ["données ouvertes"]


def test_sql_and_markup_in_a_query_are_only_text(lexicon):
    assert headwords("'; DROP TABLE lexique_term; --") == []
    assert headwords("<script>alert(1)</script>") == []
    assert Term.objects.count() == 3


@postgresql_only
def test_a_typo_still_finds_the_term(lexicon):
    assert headwords("metadonées")[0] == "métadonnées"


@postgresql_only
def test_full_text_search_finds_inflected_forms(lexicon):
    assert headwords("oeuvres") == ["métadonnées"]
