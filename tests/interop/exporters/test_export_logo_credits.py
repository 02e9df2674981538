"""An organisation's logo on its edition, contributors named with their consent, Markdown in examples and notes."""
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from lexique.interop.exporters.epub import EpubExporter

from lexique.interop.published import ExportOptions, OptionsError
from lexique.interop.exporters.logo import LOGO_SUBDIR, logo_bytes, store_logo
from tests.support.export_fixtures import NS, read_book
from tests.support.factories import UserFactory, publish_term
from tests.support.storage import body, stored_names

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, file_storage):
    """A store of its own (local, then in a bucket), and hourly counters that start at zero."""
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 10
    cache.clear()
    yield
    cache.clear()


def image(format_="PNG", size=(300, 120), colour=(200, 30, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=format_)
    return buffer.getvalue()


def book_files(path):
    with zipfile.ZipFile(path) as book:
        return {name.split("/", 1)[-1]: book.read(name) for name in book.namelist()}


def text_of(element):
    return " ".join(" ".join(element.itertext()).split())


# -- the logo ---------------------------------------------------------------------------------
def test_a_logo_is_re_encoded_as_png_and_kept_once_under_its_digest():
    jpeg = image("JPEG")
    digest = store_logo(jpeg)
    assert store_logo(jpeg) == digest and stored_names(LOGO_SUBDIR) == [f"{digest}.png"]
    stored = logo_bytes(digest)
    assert stored.startswith(b"\x89PNG") and Image.open(io.BytesIO(stored)).size == (300, 120)


@pytest.mark.parametrize("data, message", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG ou JPEG"),
    (image("GIF"), "PNG ou JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"not really a png", "PNG ou JPEG"),
    (image("PNG", size=(2500, 2500)), "trop de pixels"),
])
def test_anything_but_a_real_png_or_jpeg_is_refused_and_nothing_is_kept(data, message):
    with pytest.raises(OptionsError, match=message):
        store_logo(data)
    assert stored_names(LOGO_SUBDIR) == []


def test_a_logo_over_the_size_limit_is_refused(settings):
    settings.LEXIQUE_LOGO_MAX_BYTES = 1000
    with pytest.raises(OptionsError, match="plus de 0 Ko"):
        store_logo(image(size=(400, 400), colour=(1, 2, 3)) + b"\0" * 1000)


def test_the_logo_is_in_the_book_on_the_title_page_and_on_the_cover(tmp_path):
    publish_term()
    digest = store_logo(image(colour=(200, 30, 60)))
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(organisation="Théâtre du Bout", logo=digest)).write(path)
    files = book_files(path)
    assert files["logo.png"] == logo_bytes(digest)
    title_page = read_book(path)["titre.xhtml"]
    img = title_page.find(".//x:p[@class='logo']/x:img", NS)
    assert img.get("src") == "logo.png" and img.get("alt") == "Logo\u00a0: Théâtre du Bout"
    cover = Image.open(io.BytesIO(files["couverture.jpg"])).convert("RGB")
    region = cover.crop((140, 90, 860, 350))
    red = sum(1 for x in range(0, region.width, 4) for y in range(0, region.height, 4)
              if (pixel := region.getpixel((x, y)))[0] > 150 and pixel[1] < 90)
    assert red > 600  # the logo's colour, where the logo goes
    plain = tmp_path / "plain.epub"
    EpubExporter(ExportOptions(organisation="Théâtre du Bout")).write(plain)
    assert "logo.png" not in book_files(plain)


def test_a_logo_makes_a_custom_book_with_its_own_identifier():
    digest = store_logo(image())
    with_logo = ExportOptions(organisation="Cie", logo=digest)
    assert with_logo.is_custom and ExportOptions(logo=digest).is_custom
    assert with_logo.digest() != ExportOptions(organisation="Cie").digest()
    with pytest.raises(OptionsError):
        ExportOptions(logo="../../etc/passwd")


def test_the_downloads_form_takes_a_logo_and_sends_to_the_book_that_shows_it(client):
    publish_term()
    upload = io.BytesIO(image())
    upload.name = "logo.png"
    response = client.post("/telechargements/", {"langue": "fr", "organisation": "Musée", "fichier_logo": upload})
    assert response.status_code == 302
    digest = response["Location"].split("logo=")[1]
    assert logo_bytes(digest) is not None
    assert b"logo.png" in body(client.get(response["Location"]))


def test_the_downloads_form_refuses_an_svg_logo_with_a_clear_message(client):
    upload = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    upload.name = "logo.svg"
    response = client.post("/telechargements/", {"langue": "fr", "fichier_logo": upload})
    assert response.status_code == 400
    assert "Le logo doit être une image PNG ou JPEG." in response.content.decode()
    assert stored_names(LOGO_SUBDIR) == []


def test_a_book_asking_for_a_logo_that_is_not_kept_is_refused(client):
    response = client.get("/export/lexique-fr.epub?logo=" + "0" * 32)
    assert response.status_code == 400
    assert "envoyez-le de nouveau" in response.content.decode()


def test_sending_a_logo_counts_against_the_hourly_custom_books(client, settings):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 1
    publish_term()
    assert body(client.get("/export/lexique-fr.epub?titre=Un"))  # read to its end: the test client closes the file
    upload = io.BytesIO(image())
    upload.name = "logo.png"
    response = client.post("/telechargements/", {"langue": "fr", "fichier_logo": upload})
    assert response.status_code == 429 and response["Retry-After"]
    assert stored_names(LOGO_SUBDIR) == []


def test_export_epub_takes_a_logo_file_and_refuses_a_bad_one(tmp_path):
    publish_term()
    logo = tmp_path / "logo.jpg"
    logo.write_bytes(image("JPEG"))
    call_command("export_epub", "--organisation", "Cie", "--logo", str(logo), "-o", str(tmp_path / "b.epub"),
                 stdout=io.StringIO())
    assert "logo.png" in book_files(tmp_path / "b.epub")
    bad = tmp_path / "logo.svg"
    bad.write_text("<svg/>")
    with pytest.raises(CommandError, match="PNG ou JPEG"):
        call_command("export_epub", "--logo", str(bad), "-o", str(tmp_path / "c.epub"), stdout=io.StringIO())
    assert not (tmp_path / "c.epub").exists()


# -- contributors in the credits ----------------------------------------------------------------
def credits(tmp_path):
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions()).write(path)
    return read_book(path)["contributions.xhtml"]


def test_only_contributors_who_agreed_are_named_by_their_public_name(tmp_path, client):
    agreed = UserFactory(username="camille", first_name="Camille", last_name="Durand")
    silent = UserFactory(username="discret", first_name="Dominique", last_name="Discret")
    reviewer = UserFactory(username="relecteur", moderator=True)
    publish_term(author=agreed, moderator=reviewer)
    publish_term(author=silent, moderator=reviewer, headword_fr="balado", headword_en="podcast")
    assert credits(tmp_path).find(".//x:ul[@class='names']", NS) is None  # off by default

    for person in (agreed, reviewer):
        client.force_login(person)
        assert client.post("/comptes/profil/", {"credits": ["off", "on"]}).status_code == 302
    page = credits(tmp_path)
    names = [text_of(li) for li in page.iterfind(".//x:ul[@class='names']/x:li", NS)]
    assert names == ["Camille Durand", "relecteur"]
    assert "Personnes qui ont proposé ces termes : 2." in text_of(page)  # counted above their names

    client.force_login(agreed)
    client.post("/comptes/profil/", {"credits": "off"})
    names = [text_of(li) for li in credits(tmp_path).iterfind(".//x:ul[@class='names']/x:li", NS)]
    assert names == ["relecteur"]


def test_the_account_page_offers_the_setting_off_by_default(client):
    client.force_login(UserFactory(username="camille"))
    page = client.get("/comptes/profil/").content.decode()
    assert "Afficher mon nom dans les crédits des livres numériques" in page
    assert 'name="credits" value="on">' in page and "« camille »" in page


# -- Markdown in examples and notes ---------------------------------------------------------------
def test_examples_and_notes_are_printed_from_their_rendered_markdown(tmp_path):
    publish_term(
        examples_fr="Un *exemple* avec un [lien](<https://example.org/a b>) et une ligne  \ncoupée.",
        notes_fr="- première note\n- deuxième note : <script>alert(1)</script>",
    )
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions()).write(path)  # read_book parses strictly: `<br>` must have become `<br/>`
    entry = next(dd for dd in read_book(path)["lettre-m.xhtml"].iterfind(".//x:dd[@epub:type='glossdef']", NS))
    example, notes = entry.find("x:div[@class='examples']", NS), entry.find("x:div[@class='notes']", NS)
    assert example.find("x:p/x:em", NS).text == "exemple"
    assert example.find("x:p/x:a", NS).get("href") == "https://example.org/a%20b"
    assert example.find("x:p/x:br", NS) is not None
    assert [text_of(li) for li in notes.iterfind("x:ul/x:li", NS)] == [
        "première note", "deuxième note : <script>alert(1)</script>"]
    assert notes.find(".//x:script", NS) is None


def upload_logo(client, colour):
    upload = io.BytesIO(image(colour=colour))
    upload.name = "logo.png"
    return client.post("/telechargements/", {"langue": "fr", "organisation": "Musée", "fichier_logo": upload})


def test_each_logo_sent_costs_one_custom_book_so_no_one_can_flood_the_store(client, settings):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 2
    answers = [upload_logo(client, (n, 40, 40)).status_code for n in range(3)]
    assert answers == [302, 302, 429]
    assert len(stored_names(LOGO_SUBDIR)) == 2


def test_a_logo_waits_for_a_free_build_slot(client, settings):
    from lexique.interop.store import build_lock

    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = 1
    slot = build_lock("slot-0")  # another request, busy building a book
    assert slot.acquire(blocking=False)
    try:
        response = upload_logo(client, (9, 9, 9))
    finally:
        slot.release()
    assert response.status_code == 503 and response["Retry-After"]
    assert stored_names(LOGO_SUBDIR) == []
