"""A strict Content-Security-Policy on every kind of page: our own files only, no inline script anywhere."""
import re

import pytest
from django.urls import reverse

from lexique import services
from tests.support.factories import content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def script_sources(directives):
    return directives.get("script-src") or directives.get("default-src")


def inline_code(html):
    """Inline scripts without a src, style elements and attributes, on* handlers, javascript: links."""
    # A JSON-LD block is data the browser never runs (tests/browser/test_structured_data.py checks it).
    found = [tag for tag in re.findall(r"<script\b[^>]*>", html)
             if "src=" not in tag and "nonce=" not in tag and tag != '<script type="application/ld+json">']
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
