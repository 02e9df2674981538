"""End-to-end: what visitors, contributors and moderators do, in a real browser."""
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lexique.models import Revision, Term
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import confirm_address, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_proposes_a_term_that_is_revised_approved_and_found(new_page, check_page, signup_timer_off):
    moderator = UserFactory(moderator=True)
    publish_term(headword_fr="métadonnées", moderator=moderator)

    # A visitor understands the home page, signs up, and proposes a term.
    visitor = new_page()
    visitor.goto("/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("lexique")
    check_page(visitor, "home")
    visitor.get_by_role("link", name="Créer un compte").first.click()
    visitor.get_by_label("Nom d’utilisateur").or_(visitor.get_by_label("Nom d'utilisateur")).fill("camille")
    visitor.get_by_label("Adresse courriel").fill("camille@example.org")
    visitor.locator("#id_password1").fill("Une-phrase-longue-42")
    visitor.locator("#id_password2").fill("Une-phrase-longue-42")
    visitor.get_by_role("button", name="Créer mon compte").click()
    expect(visitor.locator(".messages")).to_contain_text("Bienvenue")
    confirm_address(visitor, "camille@example.org")

    visitor.get_by_role("link", name="Proposer un terme").first.click()
    visitor.get_by_label("Vedette (français)").fill("médiation numérique")
    visitor.get_by_label("Vedette (anglais)").fill("digital mediation")
    visitor.get_by_label("Définition (français)").fill("Actions qui relient les publics aux œuvres *par le numérique*.")
    visitor.get_by_label("Définition (anglais)").fill("Activities linking audiences and works through digital means.")
    visitor.get_by_role("button", name="Prévisualiser").click()
    expect(visitor.locator(".preview em")).to_have_text("par le numérique")
    check_page(visitor, "propose")
    visitor.get_by_role("button", name="Envoyer aux modérateurs").click()
    expect(visitor.locator(".messages")).to_contain_text("Merci")

    # The moderator asks for changes.
    mod = new_page()
    sign_in(mod, moderator.username)
    mod.goto("/moderation/")
    check_page(mod, "queue")
    mod.get_by_role("link", name="médiation numérique").click()
    check_page(mod, "review")
    mod.get_by_label("Demander des modifications").check()
    mod.get_by_label("Commentaire pour l'auteur").fill("Ajoutez un exemple, s'il vous plaît.")
    mod.get_by_role("button", name="Enregistrer la décision").click()
    expect(mod.locator(".messages")).to_contain_text("Demande de modifications")

    # The contributor sees the comment and revises.
    visitor.goto("/mes-contributions/")
    expect(visitor.locator("table")).to_contain_text("Ajoutez un exemple")
    visitor.get_by_role("link", name="Reprendre ma proposition").click()
    expect(visitor.get_by_label("Vedette (français)")).to_have_value("médiation numérique")
    visitor.get_by_label("Exemples d'usage (français)").fill("Le musée a confié sa médiation numérique à une équipe dédiée.")
    visitor.get_by_role("button", name="Envoyer aux modérateurs").click()

    # The moderator approves.
    mod.goto("/moderation/")
    mod.get_by_role("link", name="médiation numérique").click()
    mod.get_by_label("Approuver").check()
    mod.get_by_role("button", name="Enregistrer la décision").click()
    expect(mod.locator(".messages")).to_contain_text("approuvée")

    # Anyone finds it without accents, reads it in English, and sees both revisions in its history.
    reader = new_page()
    reader.goto("/")
    reader.get_by_label("Rechercher un terme").fill("mediation numerique")
    expect(reader.get_by_role("option")).to_have_text(["médiation numérique"])  # as you type
    reader.get_by_role("button", name="Rechercher").click()
    check_page(reader, "search")
    reader.get_by_role("link", name="médiation numérique").click()
    check_page(reader, "term")
    reader.get_by_role("link", name="English").click()
    expect(reader).to_have_url(re.compile(r"/en/termes/mediation-numerique/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("digital mediation")
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    reader.goto("/termes/mediation-numerique/historique/")
    expect(reader.locator("table.history tbody tr")).to_have_count(1)
    check_page(reader, "history")
    term = Term.objects.get(slug="mediation-numerique")
    assert list(term.revisions.values_list("state", flat=True)) == ["superseded", "approved"]


def test_an_edit_conflict_warns_the_moderator_before_approval(new_page, check_page):
    moderator = UserFactory(moderator=True)
    first, second = UserFactory(), UserFactory()
    term = publish_term(moderator=moderator)
    for author, definition in ((first, "Définition de la première personne."), (second, "Définition de la seconde.")):
        page = new_page()
        sign_in(page, author.username)
        page.goto(f"/termes/{term.slug}/")
        page.get_by_role("link", name="Proposer une amélioration").click()
        page.get_by_label("Définition (français)").fill(definition)
        page.get_by_role("button", name="Envoyer aux modérateurs").click()
        expect(page.locator(".messages")).to_contain_text("Merci")
    older, newer = Revision.objects.pending().order_by("id")

    mod = new_page()
    sign_in(mod, moderator.username)
    mod.goto(f"/moderation/propositions/{older.pk}/")
    mod.get_by_label("Approuver").check()
    mod.get_by_role("button", name="Enregistrer la décision").click()
    mod.goto(f"/moderation/propositions/{newer.pk}/")
    expect(mod.get_by_role("alert")).to_contain_text("la version publiée a changé")
    expect(mod.locator(".diff del:visible").first).to_be_visible()  # what approving would lose, at once
    check_page(mod, "review-conflict")
    mod.get_by_label("Approuver").check()
    mod.get_by_role("button", name="Enregistrer la décision").click()
    expect(mod.locator(".error")).to_contain_text("la version publiée est maintenant la version 2")
    term.refresh_from_db()
    assert term.definition_fr == "Définition de la première personne."
    mod.get_by_label("Approuver").check()
    mod.get_by_label("J'ai vu ce que cette proposition annulerait").check()
    mod.get_by_role("button", name="Enregistrer la décision").click()
    term.refresh_from_db()
    assert term.definition_fr == "Définition de la seconde."


def test_the_demo_lexicon_pages_have_no_accessibility_violations_on_a_phone(new_page, check_page):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    page = new_page(width=390)
    for path, name in (("/", "phone-home"), ("/termes/metadonnees/", "phone-term"),
                       ("/lettres/D/", "phone-letters"), ("/domaines/", "phone-domains"),
                       ("/en/termes/decouvrabilite/", "phone-term-en")):
        page.goto(path)
        check_page(page, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
