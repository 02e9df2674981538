"""The API's term and change JSON, built from plain rows, is byte for byte what the declared serializer
fields give; and a page of the list or of the changes feed costs a fixed number of queries."""
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from lexique import services
from lexique.selectors.published import published_terms
from lexique.api.serializers import ChangeSerializer, TermSerializer
from lexique.editions.selectors import edition_entries, frozen_terms
from lexique.models import Edition, PublicationEvent, Term
from lexique.search import ranking
from lexique.selectors import published_related
from lexique.editions.services import publish_edition
from tests.support.exports_data import rich_lexicon
from tests.support.factories import DomainFactory, UserFactory, publish_term
from tests.support.helpers import queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def richer_lexicon():
    """rich_lexicon's three terms, then a term in French only with three domains and related terms one of
    which is retired, a source without a title, an approved edit, a retirement and an edition."""
    rich_lexicon()
    moderator = UserFactory(moderator=True)
    DomainFactory(slug="creation", name_fr="Création", name_en="", position=0)
    gone = publish_term(moderator=moderator, headword_fr="œuvre éphémère", headword_en="ephemeral work")
    publish_term(
        moderator=moderator, headword_fr="Écosystème numérique", headword_en="", definition_en="", category="",
        examples_fr="Un *exemple*.", notes_fr="Une note.", domains=["patrimoine", "creation", "diffusion"],
        related=["metadonnees", gone.slug, "decouvrabilite"],
        sources=[{"title": "", "url": "http://example.org/x"}],
        synonyms=[{"text": "digital ecosystem", "lang": "en", "status": "preferred"}],
    )
    term = Term.objects.get(slug="metadonnees")
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content={**term.current_revision.content(), "notes_en": "Edited."})
    services.approve(edit, by=moderator)
    publish_edition(number="2026.1", by=moderator)
    services.retire(gone, by=moderator, reason="doublon")
    # Stored before sources always had a title (the services fill it in now).
    Term.objects.filter(slug="ecosysteme-numerique").update(sources=[{"url": "https://example.org/sans-titre"}])


def declared(serializer_class, instance, languages=("fr", "en")):
    """What the serializer's declared fields give (the shape the schema documents), field by field."""
    context = {"request": RequestFactory().get("/api/v1/terms/"), "languages": languages}
    return serializers.Serializer.to_representation(serializer_class(instance, context=context), instance)


def rendered(data):
    return JSONRenderer().render(data)


@pytest.mark.parametrize("lang", [None, "fr", "en"])
def test_the_list_is_byte_for_byte_what_the_declared_fields_give(client, lang):
    richer_lexicon()
    query = f"?page_size=100&lang={lang}" if lang else "?page_size=100"
    response = client.get(f"/api/v1/terms/{query}")
    assert response.status_code == 200
    languages = (lang,) if lang else ("fr", "en")
    expected = [declared(TermSerializer, term, languages) for term in published_terms().order_by("sort_key", "slug")]
    assert len(expected) == 4
    assert b'"results":' + rendered(expected) + b',"next_cursor"' in response.content
    # The edge cases are there: a source without a title, a related term retired since, a domain with no
    # English name, an empty English headword.
    ecosystem = response.json()["results"][1]
    assert ecosystem["sources"] == [{"url": "https://example.org/sans-titre"}]
    assert [related["slug"] for related in ecosystem["related"]] == ["decouvrabilite", "metadonnees"]
    assert [domain["slug"] for domain in ecosystem["domains"]] == ["creation", "diffusion", "patrimoine"]


def test_a_cursor_page_and_a_search_give_the_same_json_as_the_declared_fields(client):
    richer_lexicon()
    terms = {term.slug: declared(TermSerializer, term) for term in published_terms()}
    cursor_page = client.get("/api/v1/terms/?cursor=&page_size=2").json()
    assert cursor_page["results"] == [terms["decouvrabilite"], terms["ecosysteme-numerique"]]
    body = client.get("/api/v1/terms/?q=metadonnees").content
    assert rendered(terms["metadonnees"]) in body


def test_a_term_is_byte_for_byte_what_the_declared_fields_give(client):
    richer_lexicon()
    term = published_terms().get(slug="ecosysteme-numerique")
    assert client.get("/api/v1/terms/ecosysteme-numerique/").content == rendered(declared(TermSerializer, term))


def test_an_edition_listing_is_what_the_declared_fields_give(client):
    richer_lexicon()
    edition = Edition.objects.get(number="2026.1")
    expected = [declared(TermSerializer, term) for term in frozen_terms(edition, edition_entries(edition))]
    assert [term["slug"] for term in expected] == [
        "decouvrabilite", "ecosysteme-numerique", "metadonnees", "nft", "oeuvre-ephemere"]
    assert b'"results":' + rendered(expected) in client.get("/api/v1/terms/?edition=2026.1").content


def test_the_changes_feed_is_byte_for_byte_what_the_declared_fields_give(client):
    richer_lexicon()
    events = (
        PublicationEvent.objects.order_by("sequence").select_related("term")
        .annotate(term_version=F("term__current_revision__version"), version=F("revision__version"))
        .prefetch_related("term__domains", published_related("term__related"))
    )
    expected = [declared(ChangeSerializer, event) for event in events]
    assert {change["kind"] for change in expected} == {"published", "updated", "retired"}
    assert [change["term"] is None for change in expected].count(True) == 2  # the retired term, both events
    body = client.get("/api/v1/changes/?page_size=1000").content
    assert b'"results":' + rendered(expected) + b"}" in body


@pytest.mark.parametrize("ordering", ["", "&ordering=-updated", "&ordering=-headword"])
def test_numbered_pages_read_from_either_end_list_every_term_once_in_order(client, ordering):
    call_command("generate_terms", 23, verbosity=0)
    whole = client.get(f"/api/v1/terms/?page_size=100{ordering}").json()["results"]
    assert len(whole) == 23
    pages = [client.get(f"/api/v1/terms/?page_size=5&page={page}{ordering}").json()["results"] for page in range(1, 6)]
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    assert [term["slug"] for page in pages for term in page] == [term["slug"] for term in whole]
    assert client.get(f"/api/v1/terms/?page_size=5&page=6{ordering}").status_code == 404


def test_the_first_and_the_last_page_skip_no_row_to_find_their_terms(client):
    call_command("generate_terms", 30, verbosity=0)
    for page in (1, 6):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/terms/?page_size=5&page={page}").status_code == 200
        assert not [query["sql"] for query in captured if "OFFSET" in query["sql"]], page


def test_deep_pages_seek_from_keys_learnt_from_earlier_pages_of_this_version_and_stay_exact(client, monkeypatch):
    from lexique.selectors import paging

    monkeypatch.setattr(paging, "NEAR_END", 3)
    call_command("generate_terms", 61, verbosity=0)

    def check():
        whole = [term.slug for term in Term.objects.published().order_by("sort_key", "slug")]
        # Pages seek from what earlier ones left, whatever order they are read in.
        for page in (9, 3, 14, 8, 2, 12, 13, 5, 10, 9):
            response = client.get(f"/api/v1/terms/?page_size=4&page={page}&lang=fr")
            assert response.status_code == 200, page
            slugs = [term["slug"] for term in response.json()["results"]]
            assert slugs == whole[(page - 1) * 4:page * 4], page
        return whole

    before = check()
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/terms/?page_size=4&page=11&lang=en")  # right after page 10
    keys = [query["sql"] for query in captured if "LIMIT 4" in query["sql"]]
    assert len(keys) == 1 and keys[0].rstrip().endswith("LIMIT 4 OFFSET 1")
    # A publication moves every later term by one: what was learnt before is not used after it.
    publish_term(headword_fr="abaque", headword_en="abacus")
    assert sorted(check()) == sorted([*before, "abaque"])


def test_pages_of_the_list_and_of_the_changes_cost_the_same_queries_whatever_the_size(client):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    call_command("generate_terms", 60, verbosity=0)

    def pages():
        total = Term.objects.published().count()
        last = PublicationEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        urls = {
            "first page": "/api/v1/terms/?page_size=10",
            "middle page": f"/api/v1/terms/?page_size=10&page={total // 20}",
            "last page": f"/api/v1/terms/?page_size=10&page={-(-total // 10)}",
            "cursor": "/api/v1/terms/?page_size=10&cursor=",
            "ordered by update": f"/api/v1/terms/?page_size=10&ordering=-updated&page={-(-total // 10)}",
            "search": "/api/v1/terms/?q=donnees&page_size=10",
            "changes": "/api/v1/changes/?page_size=10",
            "last changes": f"/api/v1/changes/?page_size=10&cursor={last - 10}",
        }
        return {name: queries(client, url) for name, url in urls.items()}

    small = pages()
    call_command("generate_terms", 240, verbosity=0)
    assert pages() == small


def test_a_search_in_its_own_order_reads_its_page_by_the_ids_it_ranked(client):
    call_command("generate_terms", 60, verbosity=0)
    found = ranking.search("des", lang="fr")
    assert len(found.ids) > 10

    def reads_by_id(ordering: str) -> tuple[list[str], list[str]]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/api/v1/terms/?q=des&page_size=5&page=2{ordering}").json()
        return ([term["slug"] for term in body["results"]],
                [query["sql"] for query in captured if '"lexique_term"."id" IN (' in query["sql"]])

    slugs, ranked_order = reads_by_id("")
    assert slugs == [term.slug for term in found[5:10]]
    _slugs, headword_order = reads_by_id("&ordering=headword")
    # In another order the ranked ids are ordered by the database, then the page's keys read: two reads
    # that the search's own order, its ids already ranked, does without.
    assert len(ranked_order) == len(headword_order) - 2, ranked_order
