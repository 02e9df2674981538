"""The label before the other language's version of a term is written in the reader's language."""
import pytest

from tests.support.factories import content, publish_term

pytestmark = pytest.mark.django_db


def test_the_other_language_is_named_in_the_language_of_the_page(client):
    publish_term(**content(headword_fr="métadonnées", headword_en="metadata"))
    french = client.get("/termes/metadonnees/").content.decode()
    english = client.get("/en/termes/metadonnees/").content.decode()
    assert '<span class="language-label" lang="fr">Anglais</span>' in french
    assert '<span class="language-label" lang="en">French</span>' in english


def test_the_english_propose_form_names_regions_and_kinds_in_english(client, contributor):
    client.force_login(contributor)
    page = client.get("/en/proposer/").content.decode()
    assert "Belgium, Switzerland, international" in page and "(initialism, acronym, abbreviation)" in page
    assert "Belgique" not in page and "sigle" not in page
