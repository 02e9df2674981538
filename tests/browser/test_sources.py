"""A term whose sources are a book, a standard and a printed glossary, as a reader sees it (1280 and 390 px)."""
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("path", "width"), [("/termes/terminologie/", 1280), ("/en/termes/terminologie/", 390)])
def test_each_source_is_cited_beside_its_definition_and_the_page_stays_accessible(new_page, check_page, path, width):
    from tests.support.exports_data import CITED_SOURCES
    from tests.support.factories import publish_term

    publish_term(headword_fr="terminologie", headword_en="terminology", sources=CITED_SOURCES)
    page = new_page(width=width)
    page.goto(path)
    check_page(page, f"sources-{width}-{path.split('/')[1]}")
    french = page.locator("section.term-version[lang='fr'] .definition-sources")
    english = page.locator("section.term-version[lang='en'] .definition-sources")
    assert "Marie Tremblay" in french.inner_text() and "ISO 1087:2019" in english.inner_text()
    aside = page.locator("aside.term-meta .sources").inner_text()
    assert "Glossaire des arts | de la scène" in aside and "Office québécois" in aside
    # Nothing past the right edge on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
