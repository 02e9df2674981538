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


def test_recent_changes_list_publications_newest_first_narrowed_by_kind_and_domain(client, contributor, moderator):
    _related_added(contributor, moderator)  # données liées, métadonnées v1, then métadonnées v2 in "conservation"
    services.retire(Term.objects.get(slug="donnees-liees"), by=moderator, reason="Doublon.")
    page = client.get("/modifications-recentes/").content.decode()
    assert 'href="/modifications-recentes/"' in page  # in the navigation
    assert page.index("retiré") < page.index("/termes/metadonnees/versions/1/") \
        < page.index("/termes/donnees-liees/versions/1/")
    assert page.index("/termes/metadonnees/versions/2/") < page.index("/termes/metadonnees/versions/1/")
    assert 'href="/termes/metadonnees/historique/comparer/?a=2"' in page
    updated = client.get("/modifications-recentes/?type=updated").content.decode()
    assert "/versions/2/" in updated and "/versions/1/" not in updated
    in_domain = client.get("/modifications-recentes/?domaine=conservation").content.decode()
    assert "métadonnées" in in_domain and "données liées</span>" not in in_domain
    english = client.get("/en/modifications-recentes/").content.decode()
    assert 'href="/en/flux/mises-a-jour.atom"' in english or "mises-a-jour.atom" in english


def test_recent_changes_read_on_from_where_a_page_ends(client, settings, monkeypatch):
    from lexique import selectors

    monkeypatch.setattr(selectors, "RECENT_CHANGES_PAGE_SIZE", 2)
    for headword in ("alpha", "bêta", "gamma"):
        publish_term(**content(headword_fr=headword, headword_en=""))
    first = client.get("/modifications-recentes/")
    assert "gamma" in first.content.decode() and "alpha" not in first.content.decode()
    older = client.get("/modifications-recentes/?" + first.context["next_query"]).content.decode()
    assert "alpha" in older and "gamma" not in older
