"""A walkthrough of the pages people use around the lexicon, in French and in English: every page found from the
navigation, a version cited and its citation copied, a proposal with an abbreviation and a regional label, a
same-field conflict resolved by editing the combined text, an error reported without an account and answered by a
moderator, recent changes and their feed, followed terms, a contributor's public page. axe-core (WCAG 2.2 AA) finds
nothing on any new page, at 1280 and 390 px."""
import re
import time

import feedparser
import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from lexique import services
from lexique.editions.services import publish_edition
from lexique.models import ErrorReport, Revision, Term
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 390)


def fits(page, name):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{name} scrolls sideways ({width}px in {viewport}px)"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_walk_through_the_pages_people_use_in_each_language(new_page, check_page, settings, lang):
    settings.REPORT_MIN_SECONDS = 4  # a person's pace, shortened for the test

    def t(text):
        with translation.override(lang):
            return translation.gettext(text)

    prefix = "" if lang == "fr" else "/en"
    moderator, author, other = UserFactory(moderator=True), UserFactory(), UserFactory()
    term = publish_term(moderator=moderator, author=author)
    publish_edition(number="1", by=moderator)
    publish_term(moderator=moderator, headword_fr="balado", headword_en="podcast")
    publish_edition(number="2", by=moderator)

    # Every page is found from the navigation: recent changes, followed terms, downloads, editions (list, compare,
    # publish), the import page, the moderators' queue and the reported errors.
    mod = new_page()
    sign_in(mod, moderator.username)
    for label, path in (("Modifications récentes", "/modifications-recentes/"), ("Termes suivis", "/termes-suivis/"),
                        ("Télécharger (EPUB)", "/telechargements/"), ("Importer", "/moderation/import/"),
                        ("Éditions", "/editions/"), ("Modération", "/moderation/")):
        mod.goto(prefix + "/")
        mod.get_by_role("navigation", name=t("Navigation principale")).get_by_role("link", name=t(label)).click()
        expect(mod).to_have_url(re.compile(re.escape(prefix + path) + "$"))
    mod.get_by_role("link", name=re.compile("^" + re.escape(t("Erreurs signalées")))).click()
    expect(mod).to_have_url(re.compile(re.escape(prefix + "/moderation/signalements/") + "$"))
    mod.goto(prefix + "/editions/")
    mod.get_by_role("button", name=t("Comparer")).click()
    expect(mod).to_have_url(re.compile(re.escape(prefix + "/editions/comparer/")))
    mod.goto(prefix + "/editions/")
    mod.get_by_role("link", name=t("Publier une édition")).click()
    expect(mod).to_have_url(re.compile(re.escape(prefix + "/moderation/editions/") + "$"))

    # A reader reads a version page and copies its citation.
    reader = new_page()
    reader.context.grant_permissions(["clipboard-read", "clipboard-write"])
    reader.goto(f"{prefix}/termes/{term.slug}/")
    reader.get_by_role("link", name=t("Citer cette version")).first.click()
    expect(reader).to_have_url(re.compile(re.escape(f"{prefix}/termes/{term.slug}/versions/1/")))
    reader.get_by_role("button", name=t("Copier la citation")).click()
    expect(reader.get_by_role("status").filter(has_text=t("Copié."))).to_have_count(1)
    assert f"/termes/{term.slug}/versions/1/" in reader.evaluate("navigator.clipboard.readText()")

    # A contributor proposes a term with an abbreviation and a regional label.
    contributor = new_page()
    sign_in(contributor, author.username)
    contributor.goto(prefix + "/")
    contributor.get_by_role("link", name=t("Proposer un terme")).first.click()
    contributor.get_by_label(t("Vedette (français)")).fill("intelligence artificielle")
    contributor.get_by_label(t("Vedette (anglais)")).fill("artificial intelligence")
    contributor.get_by_label(t("Définition (français)")).fill("Domaine de l'informatique qui imite le raisonnement.")
    contributor.get_by_label(t("Définition (anglais)")).fill("Computing that imitates reasoning.")
    contributor.get_by_label(t("Région d'usage (français)")).select_option("intl")
    synonyms = {
        "fr": "IA | fr | privilégié | sigle\nAI | en | preferred | acronym\n"
              "cerveau électronique | fr | déconseillé | Québec",
        "en": "IA | fr | preferred | initialism\nAI | en | preferred | acronym\n"
              "electronic brain | en | not recommended | international",
    }[lang]
    contributor.get_by_label(t("Synonymes")).fill(synonyms)
    contributor.get_by_role("button", name=t("Envoyer aux modérateurs")).click()
    expect(contributor.locator(".messages").first).to_be_visible()
    proposal = Revision.objects.get(headword_fr="intelligence artificielle")
    assert {synonym["text"]: (synonym.get("kind"), synonym.get("region")) for synonym in proposal.synonyms} == {
        "IA": ("initialism", None), "AI": ("acronym", None),
        **({"cerveau électronique": (None, "qc")} if lang == "fr" else {"electronic brain": (None, "intl")})}
    assert proposal.region_fr == "intl"
    services.approve(proposal, by=moderator)
    contributor.goto(f"{prefix}/termes/{proposal.term.slug}/")
    expect(contributor.locator("dl.synonyms").first).to_contain_text("IA" if lang == "fr" else "AI")

    # A same-field conflict, resolved by editing the combined text.
    base = Term.objects.get(pk=term.pk).current_revision
    mine = services.propose_edit(term=term, author=author, base_revision=base,
                                 content={**base.content(), "definition_fr": "Celle des musées."})
    services.approve(services.propose_edit(term=term, author=other, base_revision=base,
                                           content={**base.content(), "definition_fr": "Celle des archives."}),
                     by=moderator)
    contributor.goto(prefix + "/mes-contributions/")
    contributor.get_by_role("link", name=re.compile(re.escape(t("Mettre à jour")))).click()
    contributor.get_by_label(t("combiner les deux : mon texte, retouché ci-dessous")).check()
    contributor.locator("textarea[name$='definition_fr']").last.fill("Celle des archives et des musées.")
    contributor.get_by_role("button", name=t("Mettre à jour ma proposition")).click()
    combined = Revision.objects.get(replaces=mine)
    assert combined.definition_fr == "Celle des archives et des musées." and combined.base_revision.version == 2

    # The contributor follows the term and finds it among the terms followed.
    contributor.goto(f"{prefix}/termes/{term.slug}/")
    contributor.get_by_role("button", name=t("Suivre ce terme")).click()
    contributor.get_by_role("navigation", name=t("Navigation principale")).get_by_role(
        "link", name=t("Termes suivis")).click()
    expect(contributor.locator("table")).to_contain_text("métadonnées" if lang == "fr" else "metadata")

    # The contributor shows their contributions publicly; their name in the history leads there.
    contributor.goto(prefix + "/comptes/profil/")
    consent = contributor.locator("form").filter(has=contributor.get_by_label(t(
        "Montrer mes contributions publiquement")))
    consent.get_by_label(t("Montrer mes contributions publiquement")).check()
    consent.get_by_role("button", name=t("Enregistrer")).click()
    expect(contributor.locator(".messages").first).to_contain_text(t(
        "Vos contributions approuvées sont maintenant publiques, sur une page à votre nom."))
    reader.goto(f"{prefix}/termes/{term.slug}/historique/")
    reader.get_by_role("link", name=author.username).first.click()
    expect(reader).to_have_url(re.compile(re.escape(f"{prefix}/contributeurs/{author.username}/") + "$"))
    expect(reader.locator("table")).to_contain_text("intelligence artificielle" if lang == "fr"
                                                    else "artificial intelligence")

    # A visitor without an account reports an error: sent sooner than a person could, it is refused with a clear
    # error and nothing written; sent again at a person's pace, it reaches the moderators.
    visitor = new_page()
    visitor.goto(f"{prefix}/termes/{term.slug}/")
    visitor.get_by_role("link", name=t("Signaler une erreur")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(t("Signaler une erreur"))
    visitor.get_by_label(t("Quelle est l'erreur ?")).fill("La définition oublie les bibliothèques.")
    visitor.get_by_label(t("Votre adresse courriel (facultative)")).fill("lectrice@example.org")
    visitor.get_by_role("button", name=t("Envoyer le signalement")).click()
    expect(visitor.locator(".error-summary")).to_contain_text(t(
        "Formulaire envoyé trop vite : réessayez dans quelques secondes."))
    assert ErrorReport.objects.count() == 0
    check_page(visitor, f"report-error-{lang}", wcag22=True)
    time.sleep(settings.REPORT_MIN_SECONDS)
    visitor.get_by_role("button", name=t("Envoyer le signalement")).click()
    expect(visitor.locator(".messages").first).to_contain_text(t(
        "Merci : votre signalement est transmis aux modérateurs."))
    report = ErrorReport.objects.get()
    assert report.language == lang

    # The moderator answers it from the moderation area; the answer is e-mailed to the visitor.
    mail.outbox.clear()
    mod.goto(prefix + "/moderation/")
    mod.get_by_role("link", name=re.compile("^" + re.escape(t("Erreurs signalées")) + r" \(1\)")).click()
    expect(mod.locator(".report-message")).to_contain_text("oublie les bibliothèques")
    check_page(mod, f"reports-{lang}", wcag22=True)
    mod.get_by_label(t("Réponse à la personne (facultative)")).fill("Merci, c'est corrigé.")
    mod.get_by_role("button", name=re.compile("^" + re.escape(t("Marquer comme traité")))).click()
    expect(mod.locator(".messages").first).to_contain_text(t("Le signalement est traité."))
    answers = [message for message in mail.outbox if message.to == ["lectrice@example.org"]]
    assert len(answers) == 1 and "Merci, c'est corrigé." in answers[0].body
    assert ErrorReport.objects.get().is_handled

    # Recent changes, narrowed, and their feed with the same filters.
    reader.goto(prefix + "/")
    reader.get_by_role("navigation", name=t("Navigation principale")).get_by_role(
        "link", name=t("Modifications récentes")).click()
    reader.get_by_label(t("Type")).select_option("updated")
    reader.get_by_role("button", name=t("Filtrer")).click()
    expect(reader).to_have_url(re.compile(r"\?type=updated"))
    feed_link = reader.locator("a.feed-link")
    expect(feed_link).to_have_attribute("href", f"{prefix}/modifications-recentes/flux.atom?type=updated")
    feed = feedparser.parse(reader.request.get(feed_link.get_attribute("href")).body())
    assert not feed.bozo and [entry.link.rsplit("/termes/", 1)[1] for entry in feed.entries] == [
        f"{term.slug}/versions/2/"]

    # Every new page, at both widths: no violation of WCAG 2.2 AA, nothing wider than the screen.
    pages = {
        "report-form": f"{prefix}/termes/{term.slug}/signaler/",
        "contributor": f"{prefix}/contributeurs/{author.username}/",
        "recent-changes": f"{prefix}/modifications-recentes/?type=updated",
        "followed": f"{prefix}/termes-suivis/",
        "account": f"{prefix}/comptes/profil/",
        "reports": f"{prefix}/moderation/signalements/",
        "term": f"{prefix}/termes/{term.slug}/",
    }
    ErrorReport.objects.create(term=term, version=2, message="Une coquille dans l'exemple.", language=lang)
    for width in WIDTHS:
        for name, path in pages.items():
            page = new_page(width=width)
            if name in ("followed", "account", "reports"):
                sign_in(page, moderator.username if name == "reports" else author.username)
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            fits(page, f"{name}-{lang}-{width}")
            check_page(page, f"people-{name}-{lang}-{width}", wcag22=True)
