"""A site hosting Lexique changes its name, colours, home text, footer and e-mail signature with small
templates of its own, found before the lexicon's (docs/customising.md)."""
import copy
import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lexique.services.notifications import notify_author_of_review
from tests.support import ROOT
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db

OVERRIDES = {
    "lexique/site/name.html": "Glossaire des arts",
    "lexique/site/tagline.html": "le vocabulaire de la maison",
    "lexique/site/footer.html": "<p>Un service de la Maison des arts.</p>",
    "lexique/site/home_intro.html": "<h1>Bienvenue au glossaire</h1>",
    "lexique/site/theme.html": "{% load static %}<link rel=\"stylesheet\" href=\"{% static 'maison/couleurs.css' %}\">",
    "lexique/site/email_signature.txt": "La Maison des arts\nhttps://maison.example.org",
}


@pytest.fixture
def site_folder(tmp_path, settings):
    """A site's own templates folder, first in TEMPLATES["DIRS"] as SITE_TEMPLATES puts it, holding the overrides."""
    folder = tmp_path / "templates"
    for name, text in OVERRIDES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text + "\n")  # an editor's final newline is harmless
    static = tmp_path / "static" / "maison"
    static.mkdir(parents=True)
    (static / "couleurs.css").write_text(":root { --accent: #6a1b4d; --accent-dark: #4a1236; }\n")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [folder, *templates[0]["DIRS"][1:]]
    settings.TEMPLATES = templates
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    return folder


def test_the_site_templates_folder_is_searched_before_the_lexicons_own(settings):
    dirs = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    assert dirs == [ROOT / "templates", ROOT / "lexique" / "templates"]


def test_the_repository_holds_no_override_only_how_to_write_one():
    assert [path.name for path in (ROOT / "templates").iterdir()] == ["README.md"]


def test_the_site_name_tagline_home_text_and_footer_of_the_site_folder_win(client, site_folder):
    page = client.get(reverse("lexique:home")).content.decode()
    header = page[page.index('<p class="site-name">'):page.index("</header>")]
    assert "Glossaire des arts" in header and "le vocabulaire de la maison" in header
    assert "<h1>Bienvenue au glossaire</h1>" in page
    assert "Un service de la Maison des arts." in page and "Code libre sous licence AGPL" not in page
    sign_in = client.get(reverse("login")).content.decode()
    assert re.search(r"<title>Se connecter — Glossaire des arts\s*</title>", sign_in)


def test_the_site_colours_come_from_its_own_stylesheet_after_the_lexicons(client, site_folder):
    page = client.get(reverse("lexique:home")).content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheets == ["/static/lexique/css/site.css", "/static/maison/couleurs.css"]
    # Linked, not written inline: the CSP refuses inline styles on pages served from the cache.
    assert "--accent: #6a1b4d" in Client().get(stylesheets[1]).getvalue().decode()


def test_every_colour_of_the_lexicons_stylesheet_is_a_custom_property_defined_in_one_place():
    css = (ROOT / "lexique" / "static" / "lexique" / "css" / "site.css").read_text()
    root = re.search(r":root \{(.*?)\}", css, re.S)
    outside = css[:root.start()] + css[root.end():]
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", outside) == []
    used = set(re.findall(r"var\((--[\w-]+)\)", css))
    assert used <= set(re.findall(r"(--[\w-]+):", root.group(1)))


def test_the_site_signature_ends_its_e_mails(site_folder, django_capture_on_commit_callbacks):
    author = UserFactory(email="camille@example.org")
    term = publish_term(author=author, moderator=UserFactory(moderator=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_author_of_review(term.current_revision)
    (message,) = mail.outbox
    assert message.body.rstrip().endswith("-- \nLa Maison des arts\nhttps://maison.example.org")


def test_by_default_e_mails_are_signed_by_the_lexicon(django_capture_on_commit_callbacks):
    author = UserFactory(email="camille@example.org")
    term = publish_term(author=author, moderator=UserFactory(moderator=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_author_of_review(term.current_revision)
    assert mail.outbox[0].body.rstrip().endswith("-- \nL'équipe du Lexique")
