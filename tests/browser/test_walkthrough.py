"""The walkthrough of issue 13 in Chromium: both languages, the review page, search on this database."""
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lexique import services
from lexique.models import Revision, Term
from tests.support.factories import UserFactory, content, publish_term
from tests.support.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_scrolling(page, name):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{name} scrolls sideways ({width}px in {viewport}px)"


def test_the_language_switch_goes_both_ways_from_every_kind_of_page(new_page, check_page):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    page = new_page()
    sign_in(page, "moderatrice", "demo-moderation")
    pending = Revision.objects.pending().order_by("id").first()
    pages = {
        "home": "/", "search": "/recherche/?q=donnees", "letters": "/lettres/M/", "domains": "/domaines/",
        "domain": "/domaines/creation/", "term": "/termes/metadonnees/", "history": "/termes/metadonnees/historique/",
        "diff": "/termes/metadonnees/historique/comparer/", "propose": "/proposer/",
        "edit": "/termes/metadonnees/modifier/", "contributions": "/mes-contributions/", "queue": "/moderation/",
        "review": f"/moderation/propositions/{pending.pk}/", "log": "/moderation/journal/",
        "account": "/comptes/profil/", "downloads": "/telechargements/",
    }
    for name, path in pages.items():
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.url.endswith("/en" + path), (name, page.url)
        page.get_by_role("navigation", name="Language").get_by_role("link", name="français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        assert page.url.endswith(path) and "/en/" not in page.url, (name, page.url)
    # The logo of an English page leads to the English home, whose switch leads back to French.
    page.goto("/en/termes/metadonnees/")
    page.get_by_role("link", name=re.compile("^Lexique")).click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.get_by_role("link", name="français").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_english_pages_read_english_first_at_both_widths(new_page, check_page):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    publish_term(headword_fr="baladodiffusion", headword_en="podcast", category="n. m.",
                 examples_en="A *weekly* podcast.", notes_fr="Terme **recommandé** par l'OQLF.")
    for width in (1280, 390):
        page = new_page(width=width)
        page.goto("/en/termes/baladodiffusion/")
        expect(page.get_by_role("heading", level=1)).to_have_text("podcast")
        # The English headword's label first; the French one, further down, has its own.
        expect(page.locator("p.category").first).to_have_text("n.")
        expect(page.locator(".examples em")).to_have_text("weekly")
        expect(page.locator(".notes strong")).to_have_text("recommandé")
        page.goto("/en/termes/metadonnees/")
        expect(page.get_by_role("heading", level=1)).to_have_text("metadata")
        expect(page.locator("p.category").first).to_have_text("n. pl.")
        check_page(page, f"term-en-{width}")
        no_sideways_scrolling(page, "term-en")
        page.goto("/en/lettres/")
        first = page.locator(".term-list li a").first
        expect(first).to_have_attribute("lang", "en")
        check_page(page, f"letters-en-{width}")
        no_sideways_scrolling(page, "letters-en")


def test_search_forgives_typos_and_suggestions_are_a_combobox_for_the_keyboard(new_page, check_page):
    publish_term(headword_fr="métadonnées", headword_en="metadata")
    publish_term(headword_fr="médiation numérique", headword_en="digital mediation")
    publish_term(headword_fr="médiathèque", headword_en="media library")
    page = new_page()
    page.goto("/")
    box = page.get_by_role("combobox", name="Rechercher un terme")
    box.fill("medi")
    options = page.get_by_role("option")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status")).to_contain_text("2 suggestions")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    check_page(page, "combobox")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")
    chosen = options.nth(0).text_content()
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(chosen)

    page.goto("/")
    page.get_by_role("combobox", name="Rechercher un terme").fill("metadonées")
    expect(page.get_by_role("option")).to_have_text(["métadonnées"])
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".results a").first).to_have_text("métadonnées")

    page.goto("/recherche/?q=xylophone")
    expect(page.locator(".search-results").get_by_role("heading", level=2)).to_have_text("Aucun résultat pour « xylophone »")
    page.goto("/recherche/?q=metadonnee")
    page.get_by_role("link", name="métadonnées").first.click()
    expect(page.locator(".results a").first).to_have_text("métadonnées")
    check_page(page, "search-did-you-mean")
    page.goto("/recherche/?q=donn%C3%A9es*")
    expect(page.locator(".results a").first).to_have_text("métadonnées")


def test_a_moderator_reads_a_resubmitted_proposal_and_reverts_with_a_reason(new_page, check_page):
    moderator, author = UserFactory(moderator=True), UserFactory()
    term = publish_term(moderator=moderator, notes_fr="Une *note* publiée.")
    first = services.propose_edit(term=term, author=author, base_revision=term.current_revision,
                                  content=content(notes_fr="Une *note* publiée.", examples_fr="Un **exemple**.",
                                                  synonyms=[{"text": "méta", "lang": "fr", "status": "not_recommended"}]),
                                  summary="Exemple")
    services.request_changes(first, by=moderator, comment="Citez une source, s'il vous plaît.")
    second = services.resubmit(revision=first, author=author, content=content(
        notes_fr="Une *note* publiée.", examples_fr="Un **exemple**.",
        synonyms=[{"text": "méta", "lang": "fr", "status": "not_recommended"}],
        sources=[{"title": "Guide", "url": "https://example.org/guide"}]))
    for width in (1280, 390):
        page = new_page(width=width)
        sign_in(page, moderator.username)
        page.goto(f"/moderation/propositions/{second.pk}/")
        table = page.locator("table.side-by-side-table")
        expect(table.locator("strong")).to_have_text(["exemple"])
        expect(table.locator("em")).to_contain_text(["note"])
        expect(table).to_contain_text("méta (français, déconseillé)")
        expect(table).not_to_contain_text("not_recommended")
        expect(page.locator(".discussion")).to_contain_text("Citez une source")
        expect(page.locator("#since-title")).to_contain_text("depuis la proposition 1")
        expect(page.locator("section[aria-labelledby=since-title] ins")).to_contain_text("Guide")
        check_page(page, f"review-{width}")
        no_sideways_scrolling(page, "review")
    services.approve(second, by=moderator)

    page = new_page(width=390)
    sign_in(page, moderator.username)
    page.goto(f"/termes/{term.slug}/historique/")
    no_sideways_scrolling(page, "history")
    check_page(page, "history-390")
    page.get_by_role("link", name="Rétablir la version 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rétablir la version 1")
    check_page(page, "revert-390")
    page.get_by_role("button", name="Rétablir la version 1").click()
    expect(page.locator(".error-summary")).to_contain_text("Raison")
    page.get_by_label("Raison du retour à cette version").fill("L'exemple n'est pas sourcé.")
    page.get_by_role("button", name="Rétablir la version 1").click()
    expect(page.locator("table.history")).to_contain_text("Retour à la version 1 : L'exemple n'est pas sourcé.")
    assert Term.objects.get(pk=term.pk).examples_fr == ""


def test_a_contributor_edits_then_withdraws_a_pending_proposal(new_page, check_page):
    author = UserFactory()
    revision = services.propose_term(author=author, content=content(headword_fr="balado", headword_en="podcast"))
    page = new_page(width=390)
    sign_in(page, author.username)
    page.goto("/mes-contributions/")
    no_sideways_scrolling(page, "contributions")
    page.get_by_role("link", name="balado", exact=True).click()
    check_page(page, "proposal-390")
    page.get_by_role("link", name="Modifier ma proposition").click()
    page.get_by_label("Exemples d'usage (français)").fill("Un *balado* culturel.")
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.locator(".preview em")).to_have_text(["décrivent", "balado", "describe"])
    page.get_by_role("button", name="Envoyer aux modérateurs").click()
    expect(page.locator(".messages")).to_contain_text("Merci")
    page.get_by_role("link", name="balado", exact=True).first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Retirer ma proposition").click()
    expect(page.locator(".messages")).to_contain_text("retirée")
    assert list(Revision.objects.filter(term=revision.term).values_list("state", flat=True).order_by("id")) == [
        "superseded", "withdrawn"]
