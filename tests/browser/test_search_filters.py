"""The results page's filters: a plain form that works without JavaScript, readable at every width, no axe-core
violation, in French and English."""
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _lexicon():
    from tests.support.factories import DomainFactory, publish_term

    DomainFactory(slug="diffusion", name_fr="Diffusion", name_en="Distribution")
    DomainFactory(slug="gestion", name_fr="Gestion", name_en="Management")
    publish_term(headword_fr="courriel", headword_en="email", region_fr="qc", domains=["diffusion"],
                 definition_fr="Message envoyé par le réseau.", definition_en="A message sent over the network.",
                 synonyms=[{"text": "mél", "lang": "fr", "status": "admitted", "region": "fr"},
                           {"text": "courrier électronique", "lang": "fr", "status": "admitted"}])
    publish_term(headword_fr="courriel indésirable", headword_en="spam", domains=["diffusion", "gestion"],
                 definition_fr="Message non sollicité.", definition_en="An unsolicited message.",
                 synonyms=[{"text": "pourriel", "lang": "fr", "status": "preferred", "region": "qc"}])


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_results_page_filters_without_javascript_at_every_width(browser, live_server, check_page, width, prefix):
    _lexicon()
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url,
                                  bypass_csp=True, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{prefix}/recherche/?q=courri")
        # Each group of options is a fieldset named by its legend.
        page.get_by_role("group", name="Region of use" if prefix else "Région d'usage").get_by_label(
            "Quebec" if prefix else "Québec").check()
        page.locator(".search-filters").get_by_role("radio", name="starts with" if prefix else "commence par").check()
        page.locator(".search-filters button[type=submit]").click()
        assert "region=qc" in page.url and "mode=starts" in page.url
        assert page.locator("ul.results li").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator(".search-filters input[name=region][value=qc]").is_checked()
    finally:
        context.close()
    # axe-core needs scripts: the same page, read again with them.
    page = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url,
                               bypass_csp=True).new_page()
    try:
        page.goto(f"{prefix}/recherche/?q=courri&region=qc&mode=starts")
        check_page(page, f"search-filters{prefix.replace('/', '-')}-{width}")
    finally:
        page.context.close()


@pytest.mark.parametrize("path", ["/lettres/I/", "/en/lettres/A/"])
def test_a_letter_page_lists_its_abbreviations_readably(new_page, check_page, path):
    from tests.support.factories import publish_term

    publish_term(headword_fr="intelligence artificielle", headword_en="artificial intelligence",
                 synonyms=[{"text": "IA", "lang": "fr", "status": "preferred", "kind": "initialism"},
                           {"text": "AI", "lang": "en", "status": "preferred", "kind": "initialism"}])
    page = new_page(width=390)
    page.goto(path)
    section = page.get_by_role("region", name="Abbreviations, acronyms and initialisms" if path.startswith("/en")
                               else "Sigles, acronymes et abréviations")
    section.get_by_role("link").click()
    assert page.url.endswith("/termes/intelligence-artificielle/")
    page.goto(path)
    check_page(page, f"abbreviations{path.replace('/', '-').rstrip('-')}-390")
