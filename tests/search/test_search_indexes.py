"""Search at scale: every query is answered from indexes that follow the published set by themselves."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexique import services
from lexique.models import Term
from lexique.search import indexes as search_index
from lexique.search import ranking
from lexique.search.filters import SearchFilters
from lexique.search.queries import similar_headwords, typo_candidates
from lexique.search.ranking import matching_terms
from tests.support.factories import UserFactory, content, publish_term
from tests.support.helpers import plans_of_every_query

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")

# Common words, accents both ways, a typo, two words, English, a short key, a rare word, no match.
QUERIES = ["données", "numerique", "métadonées", "données ouvertes", "open data", "ia", "xylophone", "archivage"]


def headwords(query, lang="fr"):
    return [term.headword_fr for term in matching_terms(Term.objects.published(), query, lang=lang)]


@pytest.fixture
def lexicon():
    publish_term(headword_fr="métadonnées", headword_en="metadata", definition_fr="Données qui décrivent une œuvre.")
    publish_term(headword_fr="données ouvertes", headword_en="open data", definition_fr="Données publiées librement.",
                 synonyms=[{"text": "donnees libres", "lang": "fr", "status": "admitted"}])
    publish_term(headword_fr="numérisation", headword_en="digitisation", definition_fr="Passage au format numérique.")
    publish_term(headword_fr="IA générative", headword_en="generative AI", definition_fr="Modèles qui produisent.")


@postgresql_only
@pytest.mark.parametrize("query", QUERIES)
def test_postgresql_answers_every_search_from_indexes(lexicon, query):
    plans = plans_of_every_query(lambda: list(matching_terms(Term.objects.published(), query)))
    assert len(plans) >= 2  # the candidates' ids, then the ranked page
    for plan in plans:
        assert "Seq Scan on lexique_term" not in plan, plan


@postgresql_only
@pytest.mark.parametrize("mode", ["exact", "starts", "contains"])
@pytest.mark.parametrize("query", QUERIES)
def test_postgresql_answers_every_match_mode_and_filter_from_indexes(lexicon, query, mode):
    filters = SearchFilters(mode=mode, language="fr", status="admitted", region="qc")
    plans = plans_of_every_query(lambda: ranking.search(query, filters=filters, facets=True))
    for plan in plans:
        assert "Seq Scan on lexique_term " not in plan and "Seq Scan on lexique_suggestion" not in plan, plan


@postgresql_only
def test_postgresql_reads_headwords_that_start_with_the_query_as_a_range_of_an_index(lexicon):
    # Walking the published set's btree from 'a' and testing each headword is an index plan too.
    plans = plans_of_every_query(lambda: list(matching_terms(Term.objects.published(), "numéris")))
    assert any("~>=~ 'numeris'" in plan and "Index Cond" in plan for plan in plans), plans


@postgresql_only
def test_postgresql_finds_typo_candidates_from_indexes(lexicon):
    candidates = similar_headwords(Term.objects.published(), "numerisaton")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = candidates.explain()
        cursor.execute("RESET enable_seqscan")
    assert "Seq Scan on lexique_term" not in plan, plan
    assert [row[1] for row in typo_candidates(Term.objects.published(), "numerisaton")] == ["numerisation"]


@sqlite_only
@pytest.mark.parametrize("query", QUERIES)
def test_sqlite_answers_every_search_from_its_full_text_index(lexicon, query):
    plan = matching_terms(Term.objects.published(), query).explain()
    full_scans = [line for line in plan.splitlines() if "SCAN lexique_term" in line and "VIRTUAL TABLE" not in line]
    assert not full_scans, plan


def test_the_index_follows_a_new_version_of_a_term():
    term = publish_term(headword_fr="balado", definition_fr="Émission audio.")
    moderator = UserFactory(moderator=True)
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content=content(headword_fr="baladodiffusion", definition_fr="Diffusion audio."))
    services.approve(edit, by=moderator)
    assert headwords("baladodiffusion") == ["baladodiffusion"]
    assert headwords("emission") == []


def test_a_retired_term_is_no_longer_found(lexicon):
    services.retire(Term.objects.get(headword_fr="numérisation"), by=UserFactory(moderator=True), reason="Doublon.")
    assert headwords("numerisation") == []


def test_synonyms_and_accents_both_ways_are_found(lexicon):
    assert headwords("données libres") == ["données ouvertes"]
    assert headwords("metadonnees")[0] == "métadonnées"
    assert headwords("métadonnées")[0] == "métadonnées"
    assert "métadonnées" in headwords("décrivent")


def test_a_key_too_short_for_trigrams_finds_headwords_that_start_with_it(lexicon):
    assert headwords("ia") == ["IA générative"]
    assert headwords("ia", lang="en") == ["IA générative"]


def test_a_word_shorter_than_a_trigram_narrows_a_longer_one(lexicon):
    assert headwords("ia generative") == ["IA générative"]
    assert headwords("ia xylophone") == []


@sqlite_only
def test_sqlite_puts_its_index_back_when_a_table_rebuild_dropped_the_triggers(lexicon):
    with connection.cursor() as cursor:
        for name in search_index._SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    assert search_index.ensure_sqlite_index(connection)
    publish_term(headword_fr="billetterie", definition_fr="Vente de billets.")
    assert headwords("billetterie") == ["billetterie"]
    assert not search_index.ensure_sqlite_index(connection)


def test_the_same_queries_give_the_same_first_results_on_every_database(lexicon):
    # The suite runs on SQLite and on PostgreSQL: these are the results both must give.
    assert headwords("données")[:2] == ["données ouvertes", "métadonnées"]
    assert headwords("open data") == ["données ouvertes"]
    assert headwords("numerisaton")[0] == "numérisation"
    assert headwords("xylophone") == []


def test_a_word_that_a_page_of_terms_holds_costs_no_substring_or_typo_search():
    for number in range(21):
        publish_term(headword_fr=f"archive {number:02d}", definition_fr="Document conservé.")
    with CaptureQueriesContext(connection) as captured:
        found = [term.headword_fr for term in matching_terms(Term.objects.published(), "archive")[:20]]
    assert found[:2] == ["archive 00", "archive 01"]
    # The candidates' ids, then the page (on PostgreSQL, first the text words that hold the word).
    reads = [query["sql"] for query in captured if "lexique_text_word " not in query["sql"]]
    assert len(reads) == 2 and len(captured) <= 3, [query["sql"] for query in captured]
    with CaptureQueriesContext(connection) as captured:
        found = [term.headword_fr for term in matching_terms(Term.objects.published(), "archve")[:20]]
    assert "archive 00" in found and len(captured) > 2  # a typo: the dearer kinds of match are looked for


@postgresql_only
def test_postgresql_keeps_a_vocabulary_of_headword_words_for_typos(lexicon):
    def vocabulary():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT word FROM {search_index.VOCABULARY_TABLE}")
            return {word for (word,) in cursor.fetchall()}

    assert {"metadonnees", "metadata", "donnees", "ouvertes", "open", "data", "generative"} <= vocabulary()
    assert "ia" not in vocabulary()  # too short to be corrected
    publish_term(headword_fr="infonuagique", headword_en="cloud computing")
    assert {"infonuagique", "cloud", "computing"} <= vocabulary()
    with connection.cursor() as cursor:
        assert search_index.corrections(cursor, ["infonaugique", "donnees"]) == {
            "infonaugique": ["infonuagique"], "donnees": ["donnees"]}
    assert headwords("infonaugique") == ["infonuagique"]


@postgresql_only
def test_postgresql_suggests_nothing_for_a_query_whose_words_are_all_known(lexicon):

    with CaptureQueriesContext(connection) as captured:
        assert ranking.did_you_mean("données numérisation") is None  # two words of headwords, no term has both
    assert not [query for query in captured if "%>" in query["sql"]]  # no look for close headwords
    assert ranking.did_you_mean("numérsation") == "numérisation"


@postgresql_only
def test_a_query_of_many_words_looks_up_a_bounded_number_of_them_in_the_vocabulary(lexicon):
    query = " ".join(f"motx{number:02d}" for number in range(30))  # thirty unknown words, none short
    with CaptureQueriesContext(connection) as captured:
        assert list(matching_terms(Term.objects.published(), query)) == []
    looked_up = [q for q in captured if search_index.VOCABULARY_TABLE in q["sql"]]
    # One read of the words the vocabulary knows, then one trigram read per unknown word, bounded.
    assert 0 < len(looked_up) <= search_index.CORRECTED_WORDS + 1
