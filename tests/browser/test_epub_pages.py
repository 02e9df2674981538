"""The e-book's pages as a phone shows them (Chromium at 390×844): entries run in as a dictionary's, a compact
strip of letters, examples and statuses in italics."""
import zipfile

import pytest

from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.published import ExportOptions
from tests.support.factories import DomainFactory, publish_term

pytestmark = pytest.mark.django_db

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def rich_book(db, tmp_path):
    """A letter M whose first entry has everything an entry may have; the books unzipped, by language."""
    DomainFactory(slug="diffusion", name_fr="Diffusion et distribution", name_en="Distribution")
    for headword, english in (("infolettre", "newsletter"), ("plateforme", "platform")):
        publish_term(headword_fr=headword, headword_en=english, category="n. f.")
    publish_term(
        headword_fr="médias sociaux", headword_en="social media", category="loc. n. m. pl.",
        definition_fr="Services en ligne qui permettent de créer, de partager et de commenter des contenus.",
        definition_en="Online services that let users create, share and comment on content.",
        examples_fr="La compagnie se sert des médias sociaux pour montrer ses répétitions.",
        examples_en="The company uses social media to show its rehearsals.",
        notes_fr="Au Québec, médias sociaux est privilégié.",
        synonyms=[{"text": "réseaux sociaux", "lang": "fr", "status": "admitted"},
                  {"text": "social media", "lang": "fr", "status": "not_recommended"},
                  {"text": "social networks", "lang": "en", "status": "admitted"}],
        domains=["diffusion"], related=["infolettre", "plateforme"],
    )
    books = {}
    for lang in ("fr", "bilingual"):
        path = tmp_path / f"{lang}.epub"
        EpubExporter(ExportOptions(lang=lang)).write(path)
        with zipfile.ZipFile(path) as archive:
            archive.extractall(tmp_path / lang)
        books[lang] = tmp_path / lang / "EPUB"
    return books


def open_on_phone(browser, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(path.as_uri())
    return page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("lang", ["fr", "bilingual"])
def test_an_entry_runs_its_headword_into_its_definition_and_takes_well_under_a_screen(browser, rich_book, lang):
    page = open_on_phone(browser, rich_book[lang] / "lettre-m.xhtml")
    headword = box(page, "#t-medias-sociaux" if lang == "fr" else "#t-medias-sociaux > p.headword")
    definition = box(page, "#t-medias-sociaux ~ dd .definition p" if lang == "fr"
                     else "#t-medias-sociaux > .definition p")
    # On the definition's first line, not above it.
    assert abs(headword["y"] - definition["y"]) < 3
    entry_top = headword["y"]
    end = page.evaluate("""() => { const all = [...document.querySelectorAll('dd, article')];
                                   return Math.max(...all.map(e => e.getBoundingClientRect().bottom)); }""")
    assert end - entry_top < 0.6 * PHONE["height"]
    page.close()


def test_the_strip_of_letters_takes_a_tenth_of_a_phones_first_screen_at_most(browser, rich_book):
    page = open_on_phone(browser, rich_book["fr"] / "lettre-m.xhtml")
    assert box(page, "nav.az")["height"] <= 0.1 * PHONE["height"]
    page.close()


def test_examples_and_every_status_are_in_italics_and_the_definition_is_not(browser, rich_book):
    page = open_on_phone(browser, rich_book["bilingual"] / "lettre-m.xhtml")
    style = "e => getComputedStyle(e).fontStyle"
    assert page.locator("#t-medias-sociaux > .definition p").first.evaluate(style) == "normal"
    assert {element.evaluate(style) for element in page.locator("#t-medias-sociaux .examples p").all()} == {"italic"}
    statuses = page.locator("#t-medias-sociaux .synonyms .status")
    assert [status.inner_text() for status in statuses.all()] == ["admis", "déconseillé", "admitted"]
    assert {status.evaluate(style) for status in statuses.all()} == {"italic"}
    page.close()
    page = open_on_phone(browser, rich_book["bilingual"] / "mode-emploi.xhtml")
    assert {status.evaluate(style) for status in page.locator("#legende .status").all()} == {"italic"}
    page.close()
