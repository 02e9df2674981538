"""Suggestions from their own small table of keys, and search input bounded before any database work."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from lexique import services
from lexique.models import Suggestion, Term
from lexique.search import suggestions
from lexique.search.limits import MAX_QUERY_CHARACTERS, bounded_query
from lexique.search.suggestions import suggest, text_keys, typed_key
from tests.support.factories import UserFactory, content, publish_term
from tests.support.helpers import plans_of_every_query

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner and timeouts")


@pytest.fixture
def lexicon():
    publish_term(headword_fr="l'œuvre d'art", headword_en="artwork", definition_fr="Une création.")
    publish_term(headword_fr="financement participatif", headword_en="crowdfunding",
                 synonyms=[{"text": "sociofinancement", "lang": "fr", "status": "admitted"}])
    publish_term(headword_fr="découvrabilité des œuvres", headword_en="discoverability of works")
    publish_term(headword_fr="réseau social", headword_en="social network")
    publish_term(headword_fr="réseau", headword_en="network")
    publish_term(headword_fr="métadonnées", headword_en="metadata")
    publish_term(headword_fr="données ouvertes", headword_en="open data")


def headwords(query, lang="fr"):
    return [term.headword_fr for term in suggest(query, lang=lang)]


def test_a_key_folds_case_accents_ligatures_apostrophes_and_spaces():
    assert typed_key("L’Œuvre d'Art") == typed_key("l'oeuvre d art") == typed_key("loeuvre dart") == "loeuvredart"


def test_a_text_is_found_from_each_word_but_elided_articles():
    assert text_keys("l'œuvre d'art") == [(0, "loeuvredart"), (1, "oeuvredart"), (3, "art")]


@pytest.mark.parametrize("query", ["l'oeuvre", "l’œuvre", "loeuvre", "oeuvre", "L'ŒUVRE D'A", "œuvre d'art"])
def test_an_apostrophe_typed_any_way_finds_the_headword(lexicon, query):
    assert headwords(query)[0] == "l'œuvre d'art"


@pytest.mark.parametrize(("query", "expected"), [
    ("financement participatif", "financement participatif"),
    ("participatif", "financement participatif"),
    ("decouvrabilite des oeuvres", "découvrabilité des œuvres"),
    ("réseau social", "réseau social"),
    ("reseau", "réseau"),
    ("sociofin", "financement participatif"),
    ("crowdf", "financement participatif"),
])
def test_suggestions_name_the_term_search_finds(lexicon, query, expected):
    assert headwords(query)[0] == expected


def test_an_exact_headword_comes_before_longer_ones(lexicon):
    assert headwords("réseau")[:2] == ["réseau", "réseau social"]


def test_english_pages_put_english_headwords_first(lexicon):
    publish_term(headword_fr="numérisation", headword_en="digitisation")
    publish_term(headword_fr="médiation numérique", headword_en="digital mediation")
    assert [term.headword_en for term in suggest("digit", lang="en")] == ["digital mediation", "digitisation"]


def test_a_typo_is_forgiven_only_when_the_prefix_finds_too_little(lexicon):
    assert headwords("metadonees") == ["métadonnées"]
    assert headwords("donnees") == ["données ouvertes"]


def test_suggestions_follow_publication_retirement_and_new_versions(lexicon):
    term = Term.objects.get(headword_fr="réseau social")
    moderator = UserFactory(moderator=True)
    revision = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                     content=content(headword_fr="réseau socionumérique", headword_en="social network"))
    services.approve(revision, by=moderator)
    assert "réseau socionumérique" in headwords("reseau soc") and "réseau social" not in headwords("reseau soc")
    services.retire(term, by=moderator, reason="Doublon.")
    assert "réseau socionumérique" not in headwords("reseau soc")


def test_drafts_are_never_suggested(db):
    services.propose_term(author=UserFactory(), content=content(headword_fr="brouillon secret"))
    assert headwords("brouillon") == []
    assert not Suggestion.objects.exists()


def test_the_table_can_be_rebuilt_from_the_terms(lexicon):
    before = sorted(Suggestion.objects.values_list("key", "term_id", "lang", "synonym", "word"))
    Suggestion.objects.all().delete()
    assert suggestions.rebuild() == len(before)
    assert sorted(Suggestion.objects.values_list("key", "term_id", "lang", "synonym", "word")) == before


def test_generated_terms_have_their_suggestions(db):
    call_command("generate_terms", "30", verbosity=0)
    term = Term.objects.published().order_by("pk").first()
    assert term.pk in {found.pk for found in suggest(term.headword_fr, limit=50)}


def test_the_suggestions_endpoint_answers_in_the_readers_language(client, lexicon):
    results = client.get(reverse("lexique:suggestions"), {"q": "loeuvre"}).json()["results"]
    assert results[0]["headword"] == "l'œuvre d'art"
    results = client.get("/en/recherche/suggestions/", {"q": "loeuvre"}).json()["results"]
    assert results[0]["headword"] == "artwork"


# Bounded input: cut before any database work.

def test_a_long_query_is_cut_at_a_word_end():
    text = "données " * 40
    query = bounded_query(text)
    assert len(query) <= MAX_QUERY_CHARACTERS and query.split() == ["données"] * len(query.split())
    assert bounded_query("a b c d e f g h i j k") == "a b c d e f g h"
    assert bounded_query("x" * 500) == "x" * MAX_QUERY_CHARACTERS
    assert bounded_query("ab\x00cd\n ef") == "ab cd ef"


@pytest.mark.parametrize("url", ["/recherche/", "/api/v1/terms/", "/recherche/suggestions/"])
def test_words_past_the_limit_never_reach_the_database(client, lexicon, url):
    query = "financement participatif " + "zqwv " * 20 + "lointaine"
    with connection.execute_wrapper(_statements_into(statements := [])):
        assert client.get(url, {"q": query}).status_code == 200
    assert statements and not any("lointaine" in text for text in statements)
    assert not any("zqwv " * 7 in text for text in statements)


def _statements_into(found):
    def wrapper(execute, sql, params, many, context):
        found.append(sql + " " + " ".join(str(param) for param in (params or ())))
        return execute(sql, params, many, context)
    return wrapper


# No sequential scan: every step of a suggestion is a range of an index.

SHAPES = [
    "reseau", "l'oeuvre", "loeuvre", "oeuvre", "participatif", "decouvrabilite des oeuvres",  # prefixes, words
    "metadonees", "reseau socail",  # typos
    "open data", "network",  # English on a French page
    "xylophone", "zqwv",  # absent words
    "financement participatif " * 8,  # long
]


@postgresql_only
@pytest.mark.parametrize("query", SHAPES)
def test_postgresql_suggests_from_indexes_only(lexicon, query):
    plans = plans_of_every_query(lambda: suggest(query))
    assert plans
    for plan in plans:
        assert "Seq Scan" not in plan, plan
    assert any("suggestion_key_whole" in plan for plan in plans), plans


@postgresql_only
def test_postgresql_reads_a_prefix_as_a_range_of_the_binary_index(lexicon):
    plans = plans_of_every_query(lambda: suggest("particip"))
    assert any("suggestion_key_word" in plan and "Index" in plan and "Cond" in plan for plan in plans), plans


@postgresql_only
def test_postgresql_corrects_a_typo_from_the_vocabulary_index(lexicon):
    plans = plans_of_every_query(lambda: suggest("metadonees"))
    assert any("lexique_headword_word" in plan and "Index" in plan for plan in plans), plans
