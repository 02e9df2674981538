"""The Atom feed of recent changes, with the filters of its page, read by feedparser and cached per version."""
import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexique import services
from lexique.models import Term
from tests.support.factories import DomainFactory, UserFactory, content, publish_term

pytestmark = pytest.mark.django_db


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


@pytest.fixture
def changes(moderator):
    """données liées (v1), métadonnées v1, then v2 placed in "conservation", then données liées retired."""
    publish_term(moderator=moderator, **content(headword_fr="données liées", headword_en="linked data"))
    term = publish_term(moderator=moderator)
    DomainFactory(slug="conservation", name_fr="Conservation et patrimoine", name_en="Preservation and heritage")
    revision = services.propose_edit(
        term=term, author=UserFactory(), base_revision=term.current_revision,
        content={**term.current_revision.content(), "domains": ["conservation"], "definition_fr": "Mieux dit."})
    services.approve(revision, by=moderator)
    services.retire(Term.objects.get(slug="donnees-liees"), by=moderator, reason="Doublon.")


def test_the_page_links_to_its_feed_with_the_same_filters(client, changes):
    page = client.get("/modifications-recentes/?type=updated&domaine=conservation").content.decode()
    assert 'href="/modifications-recentes/flux.atom?type=updated&amp;domaine=conservation"' in page
    assert '<link rel="alternate" type="application/atom+xml"' in page
    plain = client.get("/en/modifications-recentes/").content.decode()
    assert 'href="/en/modifications-recentes/flux.atom"' in plain


def test_the_feed_lists_every_change_newest_first_retirements_included(client, changes):
    feed = read(client, "/modifications-recentes/flux.atom")
    assert [entry.title for entry in feed.entries] == [
        "données liées : retiré", "métadonnées : mis à jour (version 2)",
        "métadonnées : publié (version 1)", "données liées : publié (version 1)"]
    assert feed.entries[1].link.endswith("/termes/metadonnees/versions/2/")
    assert "Mieux dit." in feed.entries[1].summary and "retiré du lexique" in feed.entries[0].summary
    assert len({entry.id for entry in feed.entries}) == 4
    assert feed.feed.title == "Lexique : modifications récentes"


def test_the_feed_is_narrowed_by_kind_and_domain_in_each_language(client, changes):
    updated = read(client, "/modifications-recentes/flux.atom?type=updated")
    assert [entry.title for entry in updated.entries] == ["métadonnées : mis à jour (version 2)"]
    assert updated.feed.title.endswith("— mis à jour")
    in_domain = read(client, "/en/modifications-recentes/flux.atom?domaine=conservation")
    assert [entry.title for entry in in_domain.entries] == [
        "metadata: updated (version 2)", "metadata: published (version 1)"]
    assert in_domain.feed.title.endswith("— Preservation and heritage")
    assert in_domain.entries[0].link.endswith("/en/termes/metadonnees/versions/2/")


def test_unknown_or_extra_parameters_are_sent_to_the_one_address_of_their_filters(client, changes):
    response = client.get("/modifications-recentes/flux.atom?domaine=conservation&type=nope&x=1")
    assert response.status_code == 301
    assert response["Location"] == "/modifications-recentes/flux.atom?domaine=conservation"
    assert client.get("/modifications-recentes/flux.atom?domaine=conservation").status_code == 200


def test_the_feed_is_built_once_per_version_and_a_publication_renews_it(client, changes, moderator):
    url = "/modifications-recentes/flux.atom?type=published"
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert not any("PUBLICATIONEVENT" in query["sql"].upper() for query in captured.captured_queries)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    publish_term(moderator=moderator, headword_fr="balado", headword_en="podcast")
    renewed = client.get(url)
    assert renewed["ETag"] != first["ETag"] and "balado" in renewed.content.decode()
