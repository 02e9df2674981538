"""The public read API: published content only, both languages, filters, history, domains, caching."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexique import services
from tests.support.factories import DomainFactory, UserFactory, content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


@pytest.fixture
def api(client):
    return client


def test_the_term_list_shows_published_terms_only(api, contributor):
    publish_term(headword_fr="numérique", headword_en="digital")
    services.propose_term(author=contributor, content=content(headword_fr="brouillon"))
    response = api.get("/api/v1/terms/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [term["slug"] for term in body["results"]] == ["numerique"]


def test_a_term_has_both_languages_markdown_html_and_links(api):
    domain = DomainFactory(slug="diffusion", name_fr="Diffusion", name_en="Distribution")
    other = publish_term(headword_fr="métadonnées", headword_en="metadata")
    term = publish_term(
        headword_fr="découvrabilité", headword_en="discoverability", definition_fr="Être *trouvé*.",
        definition_en="Being *found*.", domains=[domain.slug], related=[other.slug],
        sources=[{"title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}],
    )
    data = api.get(f"/api/v1/terms/{term.slug}/").json()
    assert data["headword"] == {"fr": "découvrabilité", "en": "discoverability"}
    assert data["definition"] == {"fr": "Être *trouvé*.", "en": "Being *found*."}
    assert data["definition_html"]["fr"] == "<p>Être <em>trouvé</em>.</p>"
    assert data["domains"][0]["slug"] == "diffusion"
    assert data["domains"][0]["name"] == {"fr": "Diffusion", "en": "Distribution"}
    assert data["related"][0]["url"] == f"http://testserver/api/v1/terms/{other.slug}/"
    assert data["sources"] == [{"title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}]
    assert data["revision"] == term.current_revision_id
    assert data["web_url"]["fr"] == f"http://testserver/termes/{term.slug}/"
    assert data["web_url"]["en"].startswith("http://testserver/en/")
    assert data["first_published_at"] and data["updated_at"]


def test_lang_narrows_translated_fields_to_one_language(api):
    term = publish_term()
    data = api.get(f"/api/v1/terms/{term.slug}/?lang=en").json()
    assert data["headword"] == {"en": "metadata"}
    assert set(data["web_url"]) == {"en"}


def test_an_unknown_language_is_a_400(api):
    term = publish_term()
    response = api.get(f"/api/v1/terms/{term.slug}/?lang=de")
    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_a_draft_term_is_not_found(api, contributor):
    draft = services.propose_term(author=contributor, content=content(headword_fr="brouillon")).term
    for slug in (draft.slug, "inexistant"):
        response = api.get(f"/api/v1/terms/{slug}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_search_ignores_accents(api):
    publish_term(headword_fr="écosystème numérique", headword_en="digital ecosystem")
    publish_term(headword_fr="médiation", headword_en="mediation")
    results = api.get("/api/v1/terms/", {"q": "ECOSYSTEME"}).json()["results"]
    assert [term["slug"] for term in results] == ["ecosysteme-numerique"]


def test_filters_by_domain_letter_and_update_time(api):
    domain = DomainFactory(slug="creation")
    publish_term(headword_fr="œuvre", headword_en="work", domains=[domain.slug])
    publish_term(headword_fr="archive", headword_en="archive")
    assert [t["slug"] for t in api.get("/api/v1/terms/?domain=creation").json()["results"]] == ["oeuvre"]
    assert [t["slug"] for t in api.get("/api/v1/terms/?letter=O").json()["results"]] == ["oeuvre"]
    assert api.get("/api/v1/terms/?updated_since=2999-01-01T00:00:00Z").json()["count"] == 0
    assert api.get("/api/v1/terms/?updated_since=2000-01-01T00:00:00%2B02:00").json()["count"] == 2


def test_ordering_by_headword_uses_folded_accents_and_by_update_is_available(api):
    for headword in ("zèbre", "écran", "abîme"):
        publish_term(headword_fr=headword, headword_en=headword)
    slugs = [t["slug"] for t in api.get("/api/v1/terms/").json()["results"]]
    assert slugs == ["abime", "ecran", "zebre"]
    slugs = [t["slug"] for t in api.get("/api/v1/terms/?ordering=updated").json()["results"]]
    assert slugs == ["zebre", "ecran", "abime"]  # in the order they were approved


@pytest.mark.parametrize("query", [
    "page_size=0", "page_size=101", "page_size=abc", "page=0", "page=x", "page=", "letter=a", "letter=", "ordering=random", "updated_since=hier",
    "q=%3Cscript%3Ealert(1)%3C/script%3E", "q=x%27%3B%20DROP%20TABLE%20lexique_term%3B--", "q=1%20OR%201%3D1",
])
def test_invalid_list_parameters_are_a_400_with_the_parameter_named(api, query):
    publish_term()
    response = api.get(f"/api/v1/terms/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["detail"]
    assert query.split("=")[0] in body["errors"]


def test_page_size_is_chosen_by_the_client_up_to_the_maximum(api):
    for n in range(3):
        publish_term(headword_fr=f"terme {n}", headword_en=f"term {n}")
    body = api.get("/api/v1/terms/?page_size=2").json()
    assert len(body["results"]) == 2 and body["count"] == 3
    assert body["next"] == "http://testserver/api/v1/terms/?page=2&page_size=2"
    assert api.get("/api/v1/terms/?page=9").status_code == 404


def test_the_number_of_queries_of_a_list_does_not_grow_with_the_page_size(api, django_assert_num_queries):
    domain = DomainFactory(slug="reseau")
    for n in range(50):
        publish_term(headword_fr=f"terme {n:02d}", headword_en=f"term {n}", domains=[domain.slug])
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/terms/?page_size=5").status_code == 200
    cache.clear()
    with django_assert_num_queries(len(small)):
        response = api.get("/api/v1/terms/?page_size=50")
    assert len(response.json()["results"]) == 50


def test_a_cached_list_is_served_in_one_query(api, django_assert_num_queries):
    publish_term()
    api.get("/api/v1/terms/")
    with django_assert_num_queries(1):  # the version of the published set, nothing else
        assert api.get("/api/v1/terms/").status_code == 200


def test_every_read_carries_validators_and_answers_304(api):
    term = publish_term()
    for url in ("/api/v1/terms/", f"/api/v1/terms/{term.slug}/", f"/api/v1/terms/{term.slug}/revisions/",
                "/api/v1/domains/", "/api/v1/changes/"):
        response = api.get(url)
        assert response.status_code == 200, url
        assert response["ETag"] and response["Last-Modified"]
        assert api.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert api.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_an_approval_changes_the_etag_and_the_cached_body(api, contributor, moderator):
    term = publish_term()
    first = api.get(f"/api/v1/terms/{term.slug}/")
    edit = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                 content={**term.current_revision.content(), "definition_fr": "Nouvelle."})
    services.approve(edit, by=moderator)
    second = api.get(f"/api/v1/terms/{term.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert second.json()["definition"]["fr"] == "Nouvelle."


def test_a_domain_edit_refreshes_cached_responses(api):
    domain = DomainFactory(slug="gestion", name_fr="Gestion")
    api.get("/api/v1/domains/")
    domain.name_fr = "Gouvernance"
    domain.save()
    assert api.get("/api/v1/domains/").json()[0]["name"]["fr"] == "Gouvernance"


def test_domains_count_their_published_terms(api):
    domain = DomainFactory(slug="production", name_fr="Production", name_en="Production")
    publish_term(domains=[domain.slug])
    data = api.get("/api/v1/domains/production/").json()
    assert data["term_count"] == 1
    assert data["terms"] == "http://testserver/api/v1/terms/?domain=production"


def test_history_lists_approved_revisions_with_display_names_and_no_email(api, contributor, moderator):
    author = UserFactory(first_name="Aïcha", last_name="Tremblay")
    term = publish_term(author=author)
    rejected = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content={**term.current_revision.content(), "definition_fr": "Non."})
    services.reject(rejected, by=moderator, reason="Hors sujet.")
    response = api.get(f"/api/v1/terms/{term.slug}/revisions/")
    history = response.json()["results"]
    assert [revision["author"] for revision in history] == ["Aïcha Tremblay"]
    assert history[0]["current"] is True
    assert "@" not in response.content.decode()


def test_reads_are_open_to_other_origins(api):
    publish_term()
    response = api.get("/api/v1/terms/", HTTP_ORIGIN="https://musee.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_api_addresses_and_methods_answer_json(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = api.delete("/api/v1/terms/")
    assert response.status_code == 405 and response.json()["status"] == 405
    assert "GET" in response["Allow"]


def test_the_browsable_api_renders_for_people_in_a_browser(api):
    term = publish_term()
    response = api.get(f"/api/v1/terms/{term.slug}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["ETag"]


def test_with_the_version_kept_in_the_cache_a_read_asks_the_database_nothing(
        api, settings, moderator, contributor, django_assert_num_queries, django_capture_on_commit_callbacks):
    settings.API_STATE_SECONDS = 60
    term = publish_term(moderator=moderator)
    api.get(f"/api/v1/terms/{term.slug}/")
    with django_assert_num_queries(0):
        etag = api.get(f"/api/v1/terms/{term.slug}/")["ETag"]
    edit = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                 content={**term.current_revision.content(), "definition_fr": "Revue."})
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(edit, by=moderator)
    # The publication's signal refreshes the version at once, without waiting for the delay.
    response = api.get(f"/api/v1/terms/{term.slug}/")
    assert response["ETag"] != etag and response.json()["definition"]["fr"] == "Revue."


def test_the_api_root_lists_its_collections_and_docs(api):
    index = api.get("/api/v1/").json()
    assert index["terms"] == "http://testserver/api/v1/terms/"
    assert index["docs"] == "http://testserver/api/v1/docs/"
