"""Browsing at any size: pages cached per version with ETag/304, counts kept per version, keyset pages,
and the same number of queries per page whatever the size of the lexicon."""
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexique import services
from lexique.models import Term
from tests.support.factories import DomainFactory, UserFactory, publish_term
from tests.support.helpers import queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def _pages():
    last = Term.objects.published().filter(initial="M").count() // 50 + 1
    last_api = Term.objects.published().count() // 5 + 1
    return {
        "home": "/", "letter": "/lettres/M/", "last page of a letter": f"/lettres/M/?page={last}",
        "domains": "/domaines/", "domain": "/domaines/creation/", "term": "/termes/metadonnees/",
        "search": "/recherche/?q=mediation", "suggestions": "/recherche/suggestions/?q=med",
        "API list": "/api/v1/terms/?page_size=5", "last API page": f"/api/v1/terms/?page_size=5&page={last_api}",
        "API cursor": "/api/v1/terms/?cursor=", "English letter": "/en/lettres/D/",
    }


def test_each_page_costs_the_same_number_of_queries_whatever_the_size_of_the_lexicon(client):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    call_command("generate_terms", 60, verbosity=0)
    small = {name: queries(client, url) for name, url in _pages().items()}
    call_command("generate_terms", 240, verbosity=0)
    large = {name: queries(client, url) for name, url in _pages().items()}
    # Searches stop early once the cheaper kinds of match fill the list: a few queries at most, and never
    # more as the lexicon grows. The results page adds three reads for its filters: the candidates'
    # designations and domains (its counts per filter value) and the list of domains (its form).
    early = {"search": 11, "suggestions": 8}
    assert {name: count for name, count in large.items() if name not in early} == {
        name: count for name, count in small.items() if name not in early}
    assert all(large[name] <= small[name] <= most for name, most in early.items()), (small, large)


def test_browsing_counts_the_lexicon_once_per_version_not_on_each_page(client):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    call_command("generate_terms", 60, verbosity=0)
    client.get("/")
    for url in ["/lettres/M/", "/lettres/D/?page=2", "/domaines/", "/domaines/creation/", "/api/v1/terms/?page=2"]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert not [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()], url


def test_an_anonymous_page_is_rendered_once_per_version_and_answers_304_to_a_current_copy(client):
    publish_term(headword_fr="métadonnées", headword_en="metadata")
    first = client.get("/lettres/M/")
    assert first.status_code == 200 and first["ETag"]
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/lettres/M/")
    assert again.content == first.content
    assert not [query for query in captured if "lexique_term" in query["sql"]]
    assert client.get("/lettres/M/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert "Cookie" in first["Vary"]


def test_a_publication_refreshes_the_cached_pages_and_their_counts(client):
    publish_term(headword_fr="métadonnées", headword_en="metadata")
    before = client.get("/lettres/M/")
    publish_term(headword_fr="médiation", headword_en="mediation")
    after = client.get("/lettres/M/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "médiation" in after.content.decode()
    assert "médiation" in client.get("/").content.decode()


def test_a_signed_in_reader_gets_a_page_of_their_own(client):
    publish_term(headword_fr="métadonnées", headword_en="metadata")
    anonymous = client.get("/lettres/M/").content.decode()
    client.force_login(UserFactory())
    personal = client.get("/lettres/M/")
    assert personal.content.decode() != anonymous
    assert "ETag" not in personal


def test_domain_counts_follow_publications(client):
    domain = DomainFactory(slug="diffusion", name_fr="Diffusion", name_en="Distribution")
    publish_term(headword_fr="balado", domains=[domain.slug])
    assert "1 terme" in client.get("/domaines/").content.decode()
    publish_term(headword_fr="baladodiffusion", domains=[domain.slug])
    assert "2 termes" in client.get("/domaines/").content.decode()


def test_the_pages_of_a_letter_list_every_term_once_in_order(client):
    call_command("generate_terms", 700, verbosity=0)
    expected = list(Term.objects.published().filter(initial="C").values_list("slug", flat=True))
    assert len(expected) > 100
    seen, number = [], 1
    while True:
        page = client.get("/lettres/C/", {"page": number}).context["page"]
        seen += [term.slug for term in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert seen == expected


def test_the_keyset_cursor_stays_exact_while_terms_are_published(client):
    for headword in ["abeille", "castor", "écureuil", "hibou", "loutre", "renard"]:
        publish_term(headword_fr=headword)
    first = client.get("/api/v1/terms/", {"cursor": "", "page_size": 2}).json()
    assert [term["slug"] for term in first["results"]] == ["abeille", "castor"]
    assert first["count"] == 6
    # Published meanwhile, before the cursor: page numbers would shift and show "castor" again.
    publish_term(headword_fr="alouette")
    second = client.get("/api/v1/terms/", {"cursor": first["next_cursor"], "page_size": 2}).json()
    assert [term["slug"] for term in second["results"]] == ["ecureuil", "hibou"]
    third = client.get(second["next"]).json()
    assert [term["slug"] for term in third["results"]] == ["loutre", "renard"]
    assert third["next"] is None and third["next_cursor"] is None


def test_a_numbered_page_gives_the_cursor_of_the_next_one(client):
    for headword in ["abeille", "castor", "écureuil"]:
        publish_term(headword_fr=headword)
    page = client.get("/api/v1/terms/", {"page_size": 2}).json()
    assert page["count"] == 3
    following = client.get("/api/v1/terms/", {"cursor": page["next_cursor"], "page_size": 2}).json()
    assert [term["slug"] for term in following["results"]] == ["ecureuil"]
    last = client.get("/api/v1/terms/", {"page": 2, "page_size": 2}).json()
    assert [term["slug"] for term in last["results"]] == ["ecureuil"]


@pytest.mark.parametrize("cursor, status", [("!!", 400), ("bm90IGpzb24", 404), ("x" * 701, 400)])
def test_a_cursor_we_did_not_make_is_refused_clearly(client, cursor, status):
    publish_term(headword_fr="abeille")
    response = client.get("/api/v1/terms/", {"cursor": cursor})
    assert response.status_code == status
    assert "cursor" in response.content.decode() or "Curseur" in response.content.decode()


def test_search_counts_at_most_a_thousand_results(client, settings, monkeypatch):
    from lexique.search import ranking

    settings.LANGUAGE_CODE = "fr"
    monkeypatch.setattr(ranking, "SEARCH_RESULTS_LIMIT", 3)
    for number in range(5):
        publish_term(headword_fr=f"données {number}", definition_fr="Des données.")
    page = client.get("/recherche/", {"q": "donnees"}).context["page"]
    assert page.paginator.count == 3
    assert [term.headword_fr for term in page.object_list] == ["données 0", "données 1", "données 2"]


def test_a_search_page_ranks_once_and_reads_only_its_own_rows(client):
    for number in range(25):
        publish_term(headword_fr=f"données {number:02d}", definition_fr="Des données.")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/recherche/", {"q": "donnees", "page": 2}).context["page"]
    assert page.paginator.count == 25
    assert [term.headword_fr for term in page.object_list] == [f"données {number}" for number in range(20, 25)]
    # No COUNT of its own: the ranked ids are read once, counted and cut in the application (the number of
    # terms holding the words comes with the candidates, in their query).
    assert not [query for query in captured
                if "COUNT(" in query["sql"].upper() and not query["sql"].startswith("WITH lexique_holding")]


def test_retiring_a_term_updates_the_letter_counts(client):
    term = publish_term(headword_fr="métadonnées")
    publish_term(headword_fr="médiation")
    assert client.get("/lettres/M/").context["page"].paginator.count == 2
    services.retire(term, by=UserFactory(moderator=True), reason="Doublon.")
    assert client.get("/lettres/M/").context["page"].paginator.count == 1
