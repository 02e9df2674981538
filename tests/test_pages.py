"""The reading pages show published content only."""
import pytest

from lexique import services

from .factories import content, publish_term

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_recently_approved_terms(client):
    publish_term(headword_fr="découvrabilité")
    response = client.get("/")
    assert response.status_code == 200
    assert "découvrabilité" in response.content.decode()


def test_a_term_page_shows_the_published_definition(client):
    term = publish_term()
    response = client.get(term.get_absolute_url())
    assert "Données qui <em>décrivent</em> une œuvre." in response.content.decode()


def test_a_pending_term_is_not_shown(client, contributor):
    revision = services.propose_term(author=contributor, content=content(headword_fr="balado"))
    assert client.get(f"/termes/{revision.term.slug}/").status_code == 404
    assert "balado" not in client.get("/").content.decode()
