"""Search filters (domain, language, usage status, region) and match modes, with counts per filter value: one
reading of the parameters for the results page and the API, the same results on every database."""
import pytest
from django.db import connection

from lexique.search import ranking
from lexique.search.filters import API_PARAMETERS, WEB_PARAMETERS, SearchFilters, parse_search_filters
from tests.support.factories import DomainFactory, publish_term
from tests.support.helpers import plans_of_every_query

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")


@pytest.fixture
def lexicon():
    diffusion = DomainFactory(slug="diffusion", name_fr="Diffusion", name_en="Distribution")
    gestion = DomainFactory(slug="gestion", name_fr="Gestion", name_en="Management")
    publish_term(headword_fr="courriel", headword_en="email", region_fr="qc", domains=["diffusion"],
                 definition_fr="Message envoyé par le réseau.",
                 synonyms=[{"text": "mél", "lang": "fr", "status": "admitted", "region": "fr"},
                           {"text": "courrier électronique", "lang": "fr", "status": "admitted"},
                           {"text": "e-mail", "lang": "en", "status": "admitted"}])
    publish_term(headword_fr="intelligence artificielle", headword_en="artificial intelligence", domains=["gestion"],
                 definition_fr="Systèmes qui imitent des fonctions cognitives.",
                 synonyms=[{"text": "IA", "lang": "fr", "status": "preferred", "kind": "initialism"},
                           {"text": "AI", "lang": "en", "status": "preferred", "kind": "initialism"}])
    publish_term(headword_fr="infolettre", headword_en="newsletter", region_fr="qc", domains=["diffusion", "gestion"],
                 definition_fr="Lettre d'information envoyée par courriel.",
                 synonyms=[{"text": "newsletter", "lang": "fr", "status": "not_recommended", "region": "fr"},
                           {"text": "lettre d'information", "lang": "fr", "status": "admitted",
                            "region": "intl"}])
    publish_term(headword_fr="courriel indésirable", headword_en="spam", domains=["diffusion"],
                 definition_fr="Message non sollicité.",
                 synonyms=[{"text": "pourriel", "lang": "fr", "status": "preferred", "region": "qc"}])
    return diffusion, gestion


def headwords(query, lang="fr", **filters):
    found = ranking.search(query, lang=lang, filters=SearchFilters(**filters))
    return [term.headword_fr for term in found]


def test_the_exact_mode_finds_only_designations_that_are_the_query(lexicon):
    assert headwords("courriel", mode="exact") == ["courriel"]
    assert headwords("COURRIER ELECTRONIQUE", mode="exact") == ["courriel"]


def test_the_starts_with_mode_finds_designations_that_start_with_the_query(lexicon):
    assert headwords("courri", mode="starts") == ["courriel", "courriel indésirable"]
    assert headwords("lettre", mode="starts") == ["infolettre"]  # its synonym "lettre d'information"


def test_the_contains_mode_finds_the_query_inside_headwords_and_at_a_word_of_synonyms(lexicon):
    assert headwords("lettre", mode="contains") == ["infolettre"]
    assert headwords("electronique", mode="contains") == ["courriel"]
    assert headwords("riel", mode="contains") == ["courriel", "courriel indésirable"]


def test_the_ranked_search_still_finds_definitions_while_the_modes_look_at_designations_only(lexicon):
    assert "infolettre" in headwords("courriel")  # its definition says "courriel"
    assert "infolettre" not in headwords("courriel", mode="contains")


def test_the_language_filter_keeps_terms_whose_match_is_in_that_language(lexicon):
    assert headwords("newsletter", language="en") == ["infolettre"]
    assert headwords("mail", mode="contains", language="en") == ["courriel"]  # "e-mail"
    assert headwords("mel", mode="exact", language="en") == []  # "mél" is French


def test_the_status_filter_keeps_terms_whose_matching_designation_has_that_status(lexicon):
    assert headwords("newsletter", status="not_recommended") == ["infolettre"]
    assert headwords("newsletter", status="not_recommended", language="en") == []  # the English one is preferred
    assert headwords("courriel", mode="exact", status="admitted") == []


def test_the_region_filter_reads_headwords_and_synonyms(lexicon):
    assert headwords("courriel", region="qc", mode="starts") == ["courriel"]
    assert headwords("pourriel", region="qc", mode="exact") == ["courriel indésirable"]
    assert headwords("indesirable", region="qc") == []  # its headword matches, and has no region
    assert headwords("lettre", mode="starts", region="intl") == ["infolettre"]
    assert headwords("lettre", mode="starts", region="be") == []


def test_the_domain_filter_combines_with_the_others(lexicon):
    assert headwords("courri", mode="starts", domain="gestion") == []
    assert headwords("infolettre", domain="gestion") == ["infolettre"]


def test_counts_per_filter_value_leave_out_their_own_filter(lexicon):
    found = ranking.search("courri", filters=SearchFilters(mode="starts", region="qc"), facets=True)
    assert found.total == 1
    # courriel (qc headword) and courriel indésirable (no region) start with "courri"; courrier électronique
    # (no region) is courriel's too.
    assert found.facets["region"] == {"qc": 1}
    assert found.facets["language"] == {"fr": 1}
    assert found.facets["status"] == {"preferred": 1}
    assert found.facets["domain"] == {"diffusion": 1}
    unfiltered = ranking.search("courri", filters=SearchFilters(mode="starts"), facets=True)
    assert unfiltered.facets["status"] == {"preferred": 2, "admitted": 1}
    assert unfiltered.facets["domain"] == {"diffusion": 2}


def test_one_reading_of_the_parameters_for_both_edges(lexicon):
    filters, errors = parse_search_filters({"langue": "en", "statut": "admitted", "region": "qc", "mode": "exact",
                                            "domaine": "gestion"}, WEB_PARAMETERS)
    assert filters == SearchFilters(domain="gestion", language="en", status="admitted", region="qc", mode="exact")
    assert errors == {}
    filters, errors = parse_search_filters({"match_lang": "de", "status": "rare", "region": "", "match": "fuzzy"},
                                           API_PARAMETERS)
    assert filters == SearchFilters()
    assert set(errors) == {"match_lang", "status", "match"}
    _filters, errors = parse_search_filters({"domaine": "inconnu"}, WEB_PARAMETERS)
    assert set(errors) == {"domaine"}


def test_the_results_page_shows_filters_with_counts_and_keeps_them_in_its_links(lexicon, client):
    page = client.get("/recherche/", {"q": "courri", "mode": "starts"}).content.decode()
    assert "<legend>Statut d&#x27;usage</legend>" in page
    assert 'name="mode" value="starts" checked' in page
    assert '<input type="radio" name="region" value="qc"> Québec <span class="facet-count">(1' in page
    assert "2 résultats pour" in page
    narrowed = client.get("/recherche/", {"q": "courri", "mode": "starts", "region": "qc"}).content.decode()
    assert "1 résultat pour" in narrowed and "courriel indésirable" not in narrowed


def test_the_results_page_ignores_an_unknown_value_and_says_so(lexicon, client):
    page = client.get("/recherche/", {"q": "courriel", "region": "mars", "statut": "admitted"}).content.decode()
    assert "Valeur inconnue pour le filtre « région » : mars" in page
    assert "Ce filtre est ignoré." in page
    assert 'name="statut" value="admitted" checked' in page


def test_pagination_keeps_the_filters(client):
    for number in range(25):
        publish_term(headword_fr=f"archive {number:02}", headword_en=f"archive {number:02}",
                     synonyms=[{"text": f"fonds {number:02}", "lang": "fr", "status": "admitted", "region": "be"}])
    page = client.get("/recherche/", {"q": "fonds", "region": "be", "mode": "starts"}).content.decode()
    assert "25 résultats" in page
    assert "region=be" in page.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_the_api_filters_and_counts_as_the_page_does(lexicon, client):
    body = client.get("/api/v1/terms/", {"q": "courri", "match": "starts", "region": "qc"}).json()
    assert [item["headword"]["fr"] for item in body["results"]] == ["courriel"]
    assert body["count"] == 1
    assert body["facets"]["region"] == {"qc": 1}
    assert body["facets"]["domain"] == {"diffusion": 1}


def test_the_api_refuses_an_unknown_filter_value(lexicon, client):
    response = client.get("/api/v1/terms/", {"q": "courriel", "region": "mars", "match": "fuzzy"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"region", "match"}


def test_the_same_filtered_results_on_every_database(lexicon):
    # The expectations above run on SQLite and PostgreSQL alike; one more shape, every filter at once.
    assert headwords("newsletter", lang="en", language="fr", status="not_recommended", region="fr",
                     mode="exact", domain="diffusion") == ["infolettre"]


@postgresql_only
@pytest.mark.parametrize("mode", ["", "exact", "starts", "contains"])
def test_postgresql_answers_every_filtered_search_from_indexes(lexicon, mode):
    filters = SearchFilters(mode=mode, region="qc", status="preferred", language="fr", domain="diffusion")
    plans = plans_of_every_query(lambda: ranking.search("courriel", filters=filters, facets=True))
    assert plans
    for plan in plans:
        assert "Seq Scan on lexique_term " not in plan and "Seq Scan on lexique_suggestion" not in plan, plan
