"""Atom feeds of new and updated terms, in each language, read back as Atom by an XML parser."""
import pytest
from lxml import etree

from lexique import services
from lexique.publishing.feeds import FEED_ITEMS
from tests.support.factories import UserFactory, content, publish_term

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed and of each entry.
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, name
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == len(entries)
    return root, entries


@pytest.mark.django_db
def test_the_feed_of_new_terms_is_atom_in_each_language(client):
    publish_term(headword_fr="métadonnées", headword_en="metadata", definition_en="Data that *describe*.")
    publish_term(headword_fr="moissonnage", headword_en="", definition_fr="Collecte *automatique*.")

    root, entries = atom(client, "/flux/nouveaux-termes.atom")
    assert root.get(XML_LANG) == "fr"
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["moissonnage", "métadonnées"]
    assert "<em>automatique</em>" in entries[0].find(f"{ATOM}summary").text
    assert entries[1].find(f"{ATOM}link").get("href").endswith("/termes/metadonnees/")

    root, entries = atom(client, "/en/flux/nouveaux-termes.atom")
    assert root.get(XML_LANG) == "en"
    # English headword when there is one, French otherwise; the entry links to the English page.
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["moissonnage", "metadata"]
    assert entries[1].find(f"{ATOM}link").get("href").endswith("/en/termes/metadonnees/")
    assert "<em>describe</em>" in entries[1].find(f"{ATOM}summary").text


@pytest.mark.django_db
def test_the_feed_of_updates_has_one_entry_per_version_and_leaves_retired_terms_out(client, moderator):
    term = publish_term(moderator=moderator, definition_fr="Première définition.")
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content=content(definition_fr="Seconde définition."))
    services.approve(edit, by=moderator)
    gone = publish_term(moderator=moderator, headword_fr="obsolète", headword_en="obsolete")
    services.retire(gone, by=moderator, reason="Doublon.")

    _root, entries = atom(client, "/flux/mises-a-jour.atom")
    summaries = [entry.find(f"{ATOM}summary").text for entry in entries]
    assert len(entries) == 2
    assert "Seconde définition." in summaries[0] and "Première définition." in summaries[1]
    assert entries[0].find(f"{ATOM}id").text.endswith("#version-2")


@pytest.mark.django_db
def test_a_feed_holds_a_bounded_number_of_entries(client, moderator):
    for number in range(FEED_ITEMS + 3):
        publish_term(moderator=moderator, headword_fr=f"terme {number}", headword_en="")
    _root, entries = atom(client, "/flux/nouveaux-termes.atom")
    assert len(entries) == FEED_ITEMS


@pytest.mark.django_db
def test_every_page_links_to_the_feeds_of_its_language(client):
    term = publish_term()
    for url, prefix in (("/", ""), (term.get_absolute_url(), ""), ("/en/", "/en")):
        html = client.get(url).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{prefix}/flux/nouveaux-termes.atom"' in html
        assert f'href="{prefix}/flux/mises-a-jour.atom"' in html
