"""On a phone, wide blocks (citations, long addresses) scroll inside themselves: the page never scrolls sideways."""
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_version_page_with_its_citations_fits_a_phone(new_page):
    from tests.support.factories import content, publish_term

    publish_term(**content(headword_fr="métadonnées", headword_en="metadata"))
    page = new_page(width=390)
    page.goto("/termes/metadonnees/versions/1/")
    assert page.locator("pre.citation-code").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
