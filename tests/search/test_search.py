"""Search: accent- and case-blind everywhere; full text and typo tolerance on PostgreSQL."""
import pytest
from django.db import connection

from lexique.models import Term
from lexique.search.ranking import matching_terms
from tests.support.factories import publish_term

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text and trigram need PostgreSQL")


def headwords(query):
    return [term.headword_fr for term in matching_terms(Term.objects.published(), query)]


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


def test_a_typo_finds_the_term_on_every_database(lexicon):
    assert headwords("metadonées")[0] == "métadonnées"
    assert headwords("numerisaton")[0] == "numérisation"


def test_a_wildcard_or_punctuation_in_the_query_is_ignored(lexicon):
    assert set(headwords("données*")) == {"données ouvertes", "métadonnées"}
    assert headwords("«métadonnées»")[0] == "métadonnées"


def test_each_language_ranks_its_own_headwords_first():
    publish_term(headword_fr="archive", headword_en="record", definition_fr="Document conservé.")
    publish_term(headword_fr="dépôt", headword_en="archive", definition_fr="Lieu de conservation.")
    assert [t.headword_fr for t in matching_terms(Term.objects.published(), "archive", lang="fr")] == ["archive", "dépôt"]
    assert [t.headword_en for t in matching_terms(Term.objects.published(), "archive", lang="en")] == ["archive", "record"]


def test_the_typo_pass_is_bounded_in_edits():
    from lexique.search.keys import allowed_edits, close_matches, edit_distance

    assert edit_distance("metadonees", "metadonnees", 3) == 1
    assert edit_distance("mtaedonnees", "metadonnees", 3) == 2  # a transposition and a deletion
    assert edit_distance("culture", "metadonnees", 2) == 3  # gives up past the limit
    assert allowed_edits("abc") == 0  # too short to guess
    assert close_matches("balado", [(1, "balado"), (2, "ballade"), (3, "baladeur")]) == {1: 0}  # one edit at most
    assert close_matches("numerisaton", [(1, "numerisation"), (2, "numerique")]) == {1: 1}


def test_search_page_says_no_result_and_offers_the_closest_headword(client, lexicon):
    page = client.get("/recherche/", {"q": "xylophone"}).content.decode()
    assert "Aucun résultat pour « xylophone »" in page and "0 résultat" not in page
    page = client.get("/recherche/", {"q": "metadonnée"}).content.decode()
    assert "Vouliez-vous dire" in page and "?q=m%C3%A9tadonn%C3%A9es" in page


def test_no_did_you_mean_when_the_query_names_a_headword(client, lexicon):
    assert "Vouliez-vous dire" not in client.get("/recherche/", {"q": "métadonnées"}).content.decode()


def test_english_suggestions_are_english_headwords_that_hold_the_query(client, lexicon):
    publish_term(headword_fr="médiation numérique", headword_en="digital mediation",
                 definition_fr="Actions numériques.", definition_en="Digital outreach.")
    results = client.get("/en/recherche/suggestions/", {"q": "digit"}).json()["results"]
    assert [(r["headword"], r["lang"]) for r in results] == [("digital mediation", "en"), ("digitisation", "en")]


def test_suggestions_forgive_a_typo(client, lexicon):
    results = client.get("/recherche/suggestions/", {"q": "metadonées"}).json()["results"]
    assert [r["headword"] for r in results] == ["métadonnées"]


def test_search_excerpts_are_escaped_once(client):
    publish_term(headword_fr="balise", definition_fr="La balise `<b>` met en gras.")
    page = client.get("/recherche/", {"q": "balise"}).content.decode()
    assert "La balise &lt;b&gt; met en gras." in page and "&amp;lt;" not in page


def test_no_did_you_mean_when_a_headword_holds_the_query_word_for_word(client, db):
    publish_term(headword_fr="médiation numérique", headword_en="digital outreach")
    page = client.get("/recherche/", {"q": "médiation"}).content.decode()
    assert "médiation numérique" in page and "Vouliez-vous dire" not in page
    assert "Vouliez-vous dire" in client.get("/recherche/", {"q": "médiaton"}).content.decode()
