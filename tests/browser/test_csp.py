"""The Content-Security-Policy in a real browser: it blocks nothing the site needs."""
import pytest
from django.urls import reverse


@pytest.fixture
def browsed_data(transactional_db):
    """Made before the browser starts: the ORM then runs outside Playwright's event loop."""
    from tests.support.factories import DomainFactory, UserFactory, publish_term

    admin = UserFactory(moderator=True, is_staff=True, is_superuser=True)
    domain = DomainFactory(slug="diffusion")
    return admin, domain, publish_term(headword_fr="métadonnées", domains=[domain.slug])


def test_no_page_breaks_the_policy_in_a_browser_admin_tabs_and_swagger_included(browsed_data, browser, live_server):
    admin, domain, term = browsed_data
    context = browser.new_context(base_url=live_server.url)  # the policy enforced: no bypass here
    context.set_default_timeout(15000)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/")
    page.fill("input[type=search]", "méta")  # suggestions as you type: a fetch to our own origin
    page.wait_for_selector(".suggestions [role=option]")
    for url in (term.get_absolute_url(), reverse("lexique:signup")):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info")
    page.goto("/admin/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", "mot-de-passe-test")
    page.click("input[type=submit]")
    page.goto(f"/admin/lexique/domain/{domain.pk}/change/")
    page.wait_for_selector(".ui-tabs")  # modeltranslation's language tabs, built by jQuery UI
    context.close()
    assert violations == []
