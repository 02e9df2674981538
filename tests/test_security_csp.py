"""A strict Content-Security-Policy on every kind of page: our own files only, no inline script anywhere."""
import re

import pytest
from django.urls import reverse

from lexique import services

from .factories import content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def script_sources(directives):
    return directives.get("script-src") or directives.get("default-src")


def inline_code(html):
    """Inline scripts without a src, style elements and attributes, on* handlers, javascript: links."""
    found = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag and "nonce=" not in tag]
    found += [tag for tag in re.findall(r"<style\b[^>]*>", html) if "nonce=" not in tag]
    found += re.findall(r"""\sstyle\s*=\s*["']""", html)
    found += re.findall(r"""\son[a-z]+\s*=\s*["']""", html)
    found += re.findall(r"javascript:", html)
    return found


@pytest.fixture
def pages(contributor, moderator):
    term = publish_term(headword_fr="métadonnées", moderator=moderator)
    proposal = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content=content(headword_fr="métadonnées", definition_fr="Autre."))
    return {
        "anonymous": ["/", "/en/", reverse("lexique:search") + "?q=meta", reverse("lexique:letters"),
                      reverse("lexique:domains"), term.get_absolute_url(), reverse("lexique:history", args=[term.slug]),
                      reverse("lexique:diff", args=[term.slug]), reverse("login"), reverse("lexique:signup"),
                      reverse("password_reset"), reverse("downloads"), "/page-inconnue/", "/admin/login/"],
        "contributor": [reverse("lexique:propose"), reverse("lexique:my-contributions"), reverse("lexique:account"),
                        reverse("lexique:propose-edit", args=[term.slug])],
        "moderator": [reverse("lexique:queue"), reverse("lexique:review", args=[proposal.pk]), reverse("lexique:log"),
                      "/admin/", "/admin/lexique/term/", f"/admin/lexique/term/{term.pk}/change/"],
    }


def test_every_kind_of_page_has_a_strict_policy_and_no_inline_code(client, pages, contributor, moderator):
    moderator.is_staff = moderator.is_superuser = True
    moderator.save()
    for who, urls in pages.items():
        client.logout()
        if who != "anonymous":
            client.force_login(contributor if who == "contributor" else moderator)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            directives = policy(response)
            assert "'unsafe-inline'" not in script_sources(directives), url
            assert "'unsafe-inline'" not in directives["style-src"], url
            assert "'unsafe-eval'" not in script_sources(directives), url
            assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"], url
            assert inline_code(response.content.decode()) == [], url


def test_the_api_and_its_documentation_have_the_policy_and_no_inline_script(client):
    for url in ("/api/v1/", "/api/v1/terms/", "/api/v1/schema/", "/api/v1/inconnu/"):
        response = client.get(url)
        assert "'unsafe-inline'" not in script_sources(policy(response)), url
    docs = client.get("/api/v1/docs/", HTTP_ACCEPT="text/html")
    assert docs.status_code == 200
    assert "'unsafe-inline'" not in script_sources(policy(docs))
    assert inline_code(docs.content.decode()) == []
    nonce = re.search(r'<style nonce="([^"]+)"', docs.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in policy(docs)["style-src"]
    # Swagger UI's start-up script is a file of the site, allowed by 'self'.
    start = re.search(r'<script src="([^"]*script=[^"]*)"', docs.content.decode()).group(1).replace("&amp;", "&")
    script = client.get(start)
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


# --- In a real browser: the policy blocks nothing the site needs -------------------------------

@pytest.fixture
def chromium():
    import os
    from pathlib import Path

    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        pytest.skip(f"CSP BROWSER TEST SKIPPED: no Chromium at {path}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def browsed_data(transactional_db):
    """Made before the browser starts: the ORM then runs outside Playwright's event loop."""
    from .factories import DomainFactory, UserFactory

    admin = UserFactory(moderator=True, is_staff=True, is_superuser=True)
    domain = DomainFactory(slug="diffusion")
    return admin, domain, publish_term(headword_fr="métadonnées", domains=[domain.slug])


def test_no_page_breaks_the_policy_in_a_browser_admin_tabs_and_swagger_included(browsed_data, chromium, live_server):
    admin, domain, term = browsed_data
    context = chromium.new_context(base_url=live_server.url)
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
