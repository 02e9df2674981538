"""The downloads page, its form, the stable e-book addresses and the export_epub command."""
import zipfile

import pytest
from django.core.management import CommandError, call_command

from lexique.interop.store import build_lock
from tests.support.export_fixtures import NS, book_text, read_book
from tests.support.factories import DomainFactory, publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lexicon():
    DomainFactory(slug="diffusion", name_fr="Diffusion", name_en="Distribution")
    DomainFactory(slug="creation", name_fr="Création", name_en="Creation")
    publish_term(headword_fr="balado", headword_en="podcast", domains=["diffusion"])
    publish_term(headword_fr="captation", headword_en="recording", domains=["creation"])


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def titles(documents):
    return [title.text for title in documents["content.opf"].iterfind(".//dc:title", NS)]


def test_the_downloads_page_offers_the_three_books_and_a_form_in_french(client, lexicon):
    page = client.get("/telechargements/").content.decode()
    assert "<h1>Télécharger le lexique</h1>" in page
    for url in ("/export/lexique-fr.epub", "/export/lexique-en.epub", "/export/lexique-bilingue.epub"):
        assert f'href="{url}"' in page
    assert 'value="diffusion"' in page and "Création" in page
    assert '<form method="post" action="/telechargements/" enctype="multipart/form-data"' in page


def _data_form(page, prefix=""):
    start = page.index(f'<form method="get" action="{prefix}/telechargements/#data-title"')
    return page[start:page.index("</form>", start)]


@pytest.mark.parametrize(("prefix", "everything", "distribution"),
                         [("", "Tous les domaines", "Diffusion"), ("/en", "All domains", "Distribution")])
def test_the_data_files_are_narrowed_to_a_domain_with_a_select_not_by_editing_the_address(client, lexicon, prefix,
                                                                                          everything, distribution):
    page = client.get(f"{prefix}/telechargements/").content.decode()
    form = _data_form(page, prefix)
    assert '<select name="domaine" id="data-domain">' in form and '<label for="data-domain">' in form
    assert f'<option value="" selected>{everything}</option>' in form
    assert f'<option value="diffusion">{distribution}</option>' in form and '<option value="creation">' in form
    assert "?domain=" not in page.split('id="data-title"')[1].split("</section>")[0].split("</form>")[1]

    page = client.get(f"{prefix}/telechargements/", {"domaine": "diffusion"}).content.decode()
    assert f'<option value="diffusion" selected>{distribution}</option>' in page
    files = page.split('id="data-title"')[1].split("</section>")[0].split("</form>")[1]
    links = [part.split('"')[0] for part in files.split('href="')[1:]]
    assert links and all(link.endswith("?domain=diffusion") for link in links)
    body = b"".join(client.get(links[0]).streaming_content).decode()
    assert "balado" in body and "captation" not in body


def test_an_unknown_domain_on_the_downloads_page_offers_the_whole_lexicon(client, lexicon):
    page = client.get("/telechargements/", {"domaine": "inconnu"}).content.decode()
    assert '<option value="" selected>Tous les domaines</option>' in page and "?domain=" not in page


def test_the_form_sends_the_reader_to_the_stable_address_of_their_book(client, lexicon):
    response = client.get("/telechargements/?langue=bilingue&domaine=diffusion&domaine=creation&titre=Notre+guide&sous_titre=")
    assert response.status_code == 302
    assert response["Location"] == "/export/lexique-bilingue.epub?domaine=diffusion&domaine=creation&titre=Notre+guide"


def test_the_form_shows_its_errors_and_builds_nothing(client, lexicon):
    response = client.get("/telechargements/?langue=de&titre=" + "x" * 200)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Corrigez les champs signalés" in page and 'class="error"' in page


@pytest.mark.parametrize(("variant", "expected"), [("fr", "balado"), ("en", "podcast"), ("bilingue", "podcast")])
def test_each_stable_address_downloads_its_book(client, lexicon, variant, expected):
    response, body = fetch(client, f"/export/lexique-{variant}.epub")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="lexique-{variant}.epub"'
    assert response["Content-Language"] == {"fr": "fr", "en": "en", "bilingue": "fr, en"}[variant]
    assert expected in book_text(read_book(body))


def test_a_custom_one_domain_book_downloads_with_its_title(client, lexicon):
    response, body = fetch(client, "/export/lexique-fr.epub?domaine=diffusion&titre=Guide+du+Th%C3%A9%C3%A2tre&sous_titre=2026")
    documents = read_book(body)
    assert response["Content-Disposition"] == 'attachment; filename="guide-du-theatre-fr.epub"'
    assert titles(documents) == ["Guide du Théâtre", "2026"]
    text = book_text(documents)
    assert "balado" in text and "captation" not in text


def test_an_unknown_domain_is_a_bad_request(client, lexicon):
    response, body = fetch(client, "/export/lexique-en.epub?domaine=nulle-part")
    assert response.status_code == 400
    assert "nulle-part" in body.decode()


def test_a_busy_site_offers_to_try_the_same_book_again_in_a_few_seconds(client, lexicon, settings):
    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = 1
    slot = build_lock("slot-0")  # another request is building a book
    assert slot.acquire(blocking=False)
    try:
        response, body = fetch(client, "/en/export/lexique-en.epub?domaine=diffusion")
    finally:
        slot.release()
    page = body.decode()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "The book is being prepared" in page
    assert 'href="/en/export/lexique-en.epub?domaine=diffusion">Try again</a>' in page


def test_only_reading_methods_are_allowed(client, lexicon):
    assert client.post("/export/lexique-fr.epub").status_code == 405
    head = client.head("/export/lexique-fr.epub")
    full, body = fetch(client, "/export/lexique-fr.epub")
    assert head.status_code == 200 and head.content == b""
    assert (head["Content-Length"], head["ETag"]) == (str(len(body)), full["ETag"])


def test_the_command_writes_a_custom_book(tmp_path, lexicon):
    target = tmp_path / "guide.epub"
    call_command("export_epub", "--lang", "bilingual", "--domain", "creation", "--title", "Guide",
                 "--subtitle", "Pour nos équipes", "-o", str(target))
    documents = read_book(target)
    assert titles(documents) == ["Guide", "Pour nos équipes"]
    text = book_text(documents)
    assert "captation" in text and "recording" in text and "balado" not in text
    assert zipfile.ZipFile(target).namelist()[0] == "mimetype"


def test_the_command_refuses_an_unknown_domain_and_writes_nothing(tmp_path, lexicon):
    target = tmp_path / "book.epub"
    with pytest.raises(CommandError, match="Domaine inconnu : nulle-part"):
        call_command("export_epub", "--domain", "nulle-part", "-o", str(target))
    assert list(tmp_path.iterdir()) == []
