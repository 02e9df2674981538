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


def _published_twice():
    """métadonnées at version 1, then version 2 adding a related term and a domain."""
    from lexique import services
    from tests.support.factories import DomainFactory, UserFactory, content, publish_term

    publish_term(**content(headword_fr="données liées", headword_en="linked data"))
    term = publish_term(**content(headword_fr="métadonnées", headword_en="metadata",
                                  sources=[{"title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}]))
    DomainFactory(slug="conservation", name_fr="Conservation et patrimoine", name_en="Preservation and heritage")
    revision = services.propose_edit(
        term=term, author=UserFactory(), base_revision=term.current_revision,
        content={**term.current_revision.content(), "related": ["donnees-liees"], "domains": ["conservation"]})
    services.approve(revision, by=UserFactory(moderator=True))


@pytest.mark.parametrize("path", ["/termes/metadonnees/versions/2/", "/en/termes/metadonnees/versions/2/"])
def test_a_version_page_reads_as_the_term_page_does_on_a_desktop(new_page, check_page, path):
    _published_twice()
    page = new_page(width=1280)
    page.goto(path)
    heading, aside = page.locator("h1").bounding_box(), page.locator("aside.term-meta").bounding_box()
    # The headword and definition in the main column, what the version points to beside them.
    assert heading["width"] > 500 and heading["x"] + heading["width"] <= aside["x"]
    assert page.locator("h1").bounding_box()["y"] >= page.locator("header").bounding_box()["height"] + 16
    assert "Sources" in page.locator("aside.term-meta h2").all_inner_texts()
    assert page.locator("aside.term-meta .sources a").count() == 1
    # Every citation whole: nothing hidden past the right edge of its block.
    for block in page.locator("pre.citation-code").all():
        assert block.evaluate("el => el.scrollWidth <= el.clientWidth")
    check_page(page, "version-page-desktop" + ("-en" if path.startswith("/en/") else ""))


def test_the_heading_of_a_term_page_keeps_its_distance_from_the_header_on_a_phone(new_page):
    from tests.support.factories import content, publish_term

    publish_term(**content(headword_fr="métadonnées", headword_en="metadata"))
    page = new_page(width=390)
    page.goto("/termes/metadonnees/")
    assert page.locator("h1").bounding_box()["y"] >= page.locator("header").bounding_box()["height"] + 16


@pytest.mark.parametrize("width", [1280, 390])
def test_the_followed_terms_page_reads_at_every_width(new_page, check_page, width):
    from lexique import services
    from tests.support.factories import UserFactory, content, publish_term
    from tests.support.helpers import sign_in

    person = UserFactory()
    services.follow_term(term=publish_term(**content()), user=person)
    page = new_page(width=width)
    sign_in(page, person.username)
    page.get_by_role("link", name="Termes suivis").click()
    assert page.locator("tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_page(page, f"followed-terms-{width}")


@pytest.mark.parametrize(("width", "home", "link"), [(1280, "/", "Modifications récentes"),
                                                     (390, "/en/", "Recent changes")])
def test_recent_changes_are_found_from_the_navigation_and_read_at_every_width(new_page, check_page, width, home,
                                                                              link):
    _published_twice()
    page = new_page(width=width)
    page.goto(home)
    page.get_by_role("link", name=link).click()
    assert page.locator("tbody tr").count() == 3
    page.get_by_label("Type").select_option("updated")
    page.get_by_role("button", name="Filtrer" if home == "/" else "Filter").click()
    assert page.locator("tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_page(page, f"recent-changes-{width}")


def test_a_citation_is_copied_with_one_button(new_page):
    from tests.support.factories import content, publish_term

    publish_term(**content())
    page = new_page(width=390)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/termes/metadonnees/versions/1/")
    from playwright.sync_api import expect

    page.get_by_role("button", name="Copier le BibTeX").click()
    expect(page.get_by_role("status").filter(has_text="Copié.")).to_have_count(1)  # once the clipboard holds it
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{") and "version = {1}" in copied
