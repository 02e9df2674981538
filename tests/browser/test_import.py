"""A moderator imports a file in a real browser: preview, answer its question, import the very file previewed."""
import pytest
from playwright.sync_api import expect

from lexique.models import Term
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import csv_file, row, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_moderator_previews_answers_and_imports_the_file_previewed(new_page, check_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    moderator = UserFactory(moderator=True)
    ache = publish_term(headword_fr="Ache", headword_en="", definition_fr="Langue tupi-guarani du Paraguay.",
                        moderator=moderator)
    path = tmp_path / "langues.csv"
    path.write_bytes(csv_file([row("Aché", "Autre graphie, autre langue."), row("Viêt Nam", "Pays d'Asie."),
                               row("Viêt Nam", "Pays d'Asie.")]))

    page = new_page()
    sign_in(page, moderator.username)
    page.goto("/moderation/import/")
    page.get_by_label("Fichier", exact=True).set_input_files(str(path))
    page.get_by_label("des versions approuvées à votre nom, publiées aussitôt").check()
    page.get_by_role("button", name="Aperçu, sans rien enregistrer").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("Aperçu")
    expect(page.locator(".import-repeat")).to_contain_text("Répète ligne 3")
    check_page(page, "import-preview")
    # Importing before answering imports nothing, and says why.
    page.get_by_role("button", name="Importer ce fichier").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("rien n'a été enregistré")
    assert Term.objects.count() == 1

    page.get_by_label("un nouveau terme").check()
    page.get_by_role("button", name="Importer ce fichier").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Import terminé")
    published = sorted(Term.objects.published().values_list("headword_fr", flat=True))
    assert published == ["Ache", "Aché", "Viêt Nam"]
    ache.refresh_from_db()
    assert ache.definition_fr == "Langue tupi-guarani du Paraguay."
