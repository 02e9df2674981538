"""The page of one published version: what that version said, and what it pointed to."""
import pytest

from lexique import services
from lexique.models import Term
from tests.support.factories import DomainFactory, content, publish_term

pytestmark = pytest.mark.django_db


def _related_added(contributor, moderator):
    publish_term(**content(headword_fr="données liées", headword_en="linked data"))
    term = publish_term(**content())
    DomainFactory(slug="conservation", name_fr="Conservation et patrimoine", name_en="Preservation and heritage")
    revision = services.propose_edit(
        term=term, author=contributor, base_revision=term.current_revision,
        content={**term.current_revision.content(), "related": ["donnees-liees"], "domains": ["conservation"]})
    services.approve(revision, by=moderator)
    return term


def test_a_version_page_names_the_related_terms_and_domains_of_that_version(client, contributor, moderator):
    _related_added(contributor, moderator)
    second = client.get("/termes/metadonnees/versions/2/").content.decode()
    first = client.get("/termes/metadonnees/versions/1/").content.decode()
    assert 'href="/termes/donnees-liees/"' in second and "Conservation et patrimoine" in second
    assert "données liées" not in first and "Conservation et patrimoine" not in first


def test_a_related_term_retired_since_is_named_without_a_link(client, contributor, moderator):
    _related_added(contributor, moderator)
    services.retire(Term.objects.get(slug="donnees-liees"), by=moderator, reason="Doublon.")
    page = client.get("/termes/metadonnees/versions/2/").content.decode()
    assert "données liées" in page and 'href="/termes/donnees-liees/"' not in page


def test_an_english_version_page_shows_the_english_text_first(client):
    publish_term(**content())
    page = client.get("/en/termes/metadonnees/versions/1/").content.decode()
    assert page.index("<h1>metadata") < page.index("métadonnées</h2>")


def test_the_followed_terms_page_lists_what_i_follow_and_unfollows_from_there(client, contributor):
    from django.urls import reverse

    followed, other = publish_term(**content()), publish_term(**content(headword_fr="balado", headword_en="podcast"))
    services.follow_term(term=followed, user=contributor)
    assert client.get("/termes-suivis/").status_code == 302  # signed-in people only
    client.force_login(contributor)
    page = client.get("/termes-suivis/").content.decode()
    assert 'href="/termes/metadonnees/"' in page and 'href="/termes/metadonnees/versions/1/"' in page
    assert "balado" not in page and other.pk
    assert 'href="/termes-suivis/"' in client.get("/").content.decode()  # found from the navigation
    client.post(reverse("lexique:follow", kwargs={"slug": "metadonnees"}), {"follow": "0", "next": "/termes-suivis/"})
    assert "Vous ne suivez aucun terme" in client.get("/termes-suivis/").content.decode()
