"""The reading pages show published content only."""
import pytest

from lexique import services
from tests.support.factories import content, publish_term

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


def test_markdown_in_examples_and_notes_is_rendered_on_both_languages_pages(client):
    term = publish_term(examples_fr="Un **bon** exemple.", notes_en="A *note*.", notes_fr="Une *note*.")
    page = client.get(term.get_absolute_url()).content.decode()
    assert "Un <strong>bon</strong> exemple." in page and "Une <em>note</em>." in page
    assert "**" not in page
    assert "A <em>note</em>." in client.get("/en" + term.get_absolute_url()).content.decode()


def test_english_pages_show_english_headwords_first_with_english_category_labels(client):
    url = publish_term(category="loc. n. f. pl.").get_absolute_url()
    english = client.get("/en" + url).content.decode()
    # The English headword's label first; the French headword, further down, keeps its own.
    assert '<p class="category" lang="en">n. phr. pl.</p>' in english
    assert english.index("n. phr. pl.") < english.index('<p class="category" lang="fr">loc. n. f. pl.</p>')
    listing = client.get("/en/lettres/M/").content.decode()
    assert listing.index(">metadata<") < listing.index("métadonnées")
    french = client.get(url).content.decode()
    assert '<p class="category" lang="fr">loc. n. f. pl.</p>' in french


def test_english_a_to_z_files_terms_by_their_english_headword(client):
    publish_term(headword_fr="balado", headword_en="podcast")
    assert "podcast" in client.get("/en/lettres/P/").content.decode()
    assert "balado" not in client.get("/en/lettres/B/").content.decode()
    assert "balado" in client.get("/lettres/B/").content.decode()


def test_a_term_whose_related_terms_are_all_retired_shows_no_related_heading(client, moderator):
    other = publish_term(headword_fr="cédérom", headword_en="CD-ROM", moderator=moderator)
    term = publish_term(headword_fr="numérique", headword_en="digital", related=[other.slug], moderator=moderator)
    assert "Termes associés" in client.get(term.get_absolute_url()).content.decode()
    services.retire(other, by=moderator, reason="Doublon.")
    assert "Termes associés" not in client.get(term.get_absolute_url()).content.decode()


def test_term_pages_never_skip_a_heading_level(client):
    import re

    term = publish_term(examples_fr="Exemple.", notes_en="Note.")
    for url in (term.get_absolute_url(), "/en" + term.get_absolute_url()):
        levels = [int(level) for level in re.findall(r"<h([1-6])", client.get(url).content.decode())]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_the_language_switch_links_to_the_same_page_in_the_other_language(client):
    url = publish_term().get_absolute_url()  # the French address: tests run in French
    french = client.get(url + "historique/").content.decode()
    assert f'href="/en{url}historique/" hreflang="en"' in french
    english = client.get("/en" + url).content.decode()
    assert f'href="{url}" hreflang="fr"' in english
    search = client.get("/en/recherche/", {"q": "méta"}).content.decode()
    assert 'href="/recherche/?q=m%C3%A9ta" hreflang="fr"' in search


def test_a_page_that_does_not_exist_offers_the_other_language_home(client):
    page = client.get("/en/terms/metadonnees/").content.decode()
    assert 'href="/" hreflang="fr"' in page


def test_the_signed_in_home_page_does_not_ask_to_create_an_account(client, contributor):
    assert "Créez un compte" in client.get("/").content.decode()
    client.force_login(contributor)
    page = client.get("/").content.decode()
    assert "Créez un compte" not in page and "Mes contributions" in page
