"""Collaboration in a real browser: stale proposals updated, edits merged, conflicts per field, discussion,
following a term and citing a version."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from lexique import services
from lexique.models import Comment, ModerationLogEntry, Revision
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def propose(page, term, **fields):
    page.goto(f"/termes/{term.slug}/")
    page.get_by_role("link", name="Proposer une amélioration").click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Envoyer aux modérateurs").click()
    expect(page.locator(".messages")).to_contain_text("Merci")


def test_a_contributor_updates_a_stale_proposal_onto_the_current_version(new_page, check_page):
    moderator, author, other = UserFactory(moderator=True), UserFactory(), UserFactory()
    term = publish_term(moderator=moderator)
    contributor = new_page()
    sign_in(contributor, author.username)
    propose(contributor, term, **{"Notes (français)": "Une note de la contributrice."})
    first = Revision.objects.pending().get()
    services.request_changes(first, by=moderator, comment="Ajoutez aussi une source.")
    services.approve(services.propose_edit(term=term, author=other, base_revision=term.current_revision,
                                           content={**term.current_revision.content(),
                                                    "definition_fr": "Définition publiée entre-temps."}),
                     by=moderator)

    contributor.goto(f"/propositions/{first.pk}/")
    expect(contributor.locator(".stale-proposal")).to_contain_text("la version publiée est maintenant la 2")
    contributor.get_by_role("link", name="Voir les changements et mettre à jour ma proposition").click()
    expect(contributor.locator("dl.diff ins").first).to_contain_text("entre-temps")
    check_page(contributor, "rebase")
    contributor.get_by_role("button", name="Mettre à jour ma proposition").click()
    expect(contributor.locator(".messages")).to_contain_text("part maintenant de la version 2")

    new = Revision.objects.pending().get()
    assert new.base_revision == Revision.objects.get(term=term, version=2)
    assert (new.definition_fr, new.notes_fr) == ("Définition publiée entre-temps.", "Une note de la contributrice.")
    check_page(contributor, "proposal-rebased")


def test_two_edits_of_different_fields_merge_and_the_moderator_sees_and_publishes_the_result(new_page, check_page):
    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator)
    for author, fields in ((UserFactory(), {"Notes (français)": "Note ajoutée."}),
                           (UserFactory(), {"Définition (français)": "Définition améliorée."})):
        page = new_page()
        sign_in(page, author.username)
        propose(page, term, **fields)
    notes, definition = Revision.objects.pending().order_by("id")

    mod = new_page()
    sign_in(mod, moderator.username)
    mod.goto("/moderation/")
    expect(mod.locator(".group-heading")).to_contain_text("2 propositions pour « métadonnées »")
    mod.goto(f"/moderation/propositions/{notes.pk}/")
    mod.get_by_label("Approuver").check()
    mod.get_by_role("button", name="Enregistrer la décision").click()
    mod.goto("/moderation/")
    expect(mod.locator("tr.stale")).to_contain_text("se combine sans rien perdre")
    check_page(mod, "queue-stale")

    mod.goto(f"/moderation/propositions/{definition.pk}/")
    expect(mod.locator(".merged")).to_contain_text("Fusion automatique")
    expect(mod.locator(".merged")).to_contain_text("Notes (français)")
    expect(mod.locator("table.side-by-side-table")).to_contain_text("Note ajoutée.")
    expect(mod.get_by_label(re.compile("J'ai vu ce que cette proposition annulerait"))).to_have_count(0)
    check_page(mod, "review-merged")
    mod.get_by_label("Approuver").check()
    mod.get_by_role("button", name="Enregistrer la décision").click()
    expect(mod.locator(".messages")).to_contain_text("approuvée")

    mod.goto(f"/termes/{term.slug}/")
    expect(mod.locator(".definition").first).to_contain_text("Définition améliorée.")
    expect(mod.locator(".notes").first).to_contain_text("Note ajoutée.")
    expect(mod.locator(".dates")).to_contain_text("version 3")


def test_overlapping_edits_are_shown_to_the_moderator_as_a_conflict_per_field(new_page, check_page):
    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator)
    base = term.current_revision
    services.approve(services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                           content={**base.content(), "definition_fr": "Celle des archives."}),
                     by=moderator)
    late = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                 content={**base.content(), "definition_fr": "Celle des musées.",
                                          "notes_fr": "Note sans conflit."})
    mod = new_page()
    sign_in(mod, moderator.username)
    mod.goto("/moderation/")
    expect(mod.locator("tr.stale")).to_contain_text("même champ modifié des deux côtés")
    mod.goto(f"/moderation/propositions/{late.pk}/")
    conflicts = mod.locator("table.conflict-table tbody tr")
    expect(conflicts).to_have_count(1)
    expect(conflicts.first.get_by_role("rowheader")).to_have_text("Définition (français)")
    expect(conflicts.first.locator("td").nth(0).locator("ins")).to_contain_text("archives")
    expect(conflicts.first.locator("td").nth(1).locator("ins")).to_contain_text("musées")
    check_page(mod, "review-conflict")
    mod.get_by_label("Approuver").check()
    mod.get_by_role("button", name="Enregistrer la décision").click()
    expect(mod.get_by_role("alert").first).to_be_visible()
    assert Revision.objects.get(pk=late.pk).state == Revision.State.PENDING


def test_a_discussion_notifies_the_people_involved_and_a_moderator_hides_a_comment(new_page, check_page):
    moderator, author = UserFactory(moderator=True), UserFactory()
    term = publish_term(moderator=moderator)
    proposal = services.propose_edit(term=term, author=author, base_revision=term.current_revision,
                                     content={**term.current_revision.content(), "notes_fr": "Une note."})
    services.request_changes(proposal, by=moderator, comment="D'où vient cette note ?")

    contributor = new_page()
    sign_in(contributor, author.username)
    contributor.goto(f"/propositions/{proposal.pk}/")
    thread = contributor.locator(".proposal-discussion")
    expect(thread.locator(".decision")).to_contain_text("D'où vient cette note ?")
    mail.outbox.clear()
    thread.get_by_label("Votre commentaire").fill("D'un rapport du ministère, je l'ajoute.")
    thread.get_by_role("button", name="Envoyer le message").click()
    expect(contributor.locator(".messages")).to_contain_text("ajouté à la discussion")
    expect(contributor.locator(".proposal-discussion .comment")).to_contain_text("rapport du ministère")
    check_page(contributor, "proposal-discussion")
    assert [message.to for message in mail.outbox] == [[moderator.email]]

    # On the term's talk page, a reader writes; the moderator hides an off-topic message with a reason.
    contributor.goto(f"/termes/{term.slug}/")
    contributor.get_by_role("link", name="Discussion").click()
    contributor.get_by_label("Votre commentaire").fill("Achetez nos billets pas chers !")
    contributor.get_by_role("button", name="Publier le message").click()
    expect(contributor.locator(".thread")).to_contain_text("Achetez nos billets")
    check_page(contributor, "discussion")

    mod = new_page()
    sign_in(mod, moderator.username)
    mod.goto(f"/termes/{term.slug}/discussion/")
    mod.get_by_label("Raison du masquage").fill("Publicité")
    mod.get_by_role("button", name="Masquer ce commentaire").click()
    expect(mod.locator(".messages")).to_contain_text("masqué")
    check_page(mod, "discussion-moderator")
    contributor.reload()
    expect(contributor.locator(".thread")).not_to_contain_text("Achetez nos billets")
    expect(contributor.locator(".thread")).to_contain_text("Commentaire masqué par la modération")
    assert Comment.objects.get(body="Achetez nos billets pas chers !").hidden_reason == "Publicité"
    assert ModerationLogEntry.objects.filter(action="comment_hidden", comment="Publicité").exists()


def test_a_reader_follows_a_term_and_hears_of_its_next_version(new_page, check_page):
    moderator, reader_account = UserFactory(moderator=True), UserFactory()
    term = publish_term(moderator=moderator)
    reader = new_page()
    sign_in(reader, reader_account.username)
    reader.goto(f"/termes/{term.slug}/")
    reader.get_by_role("button", name="Suivre ce terme").click()
    expect(reader.locator(".messages")).to_contain_text("Vous suivez ce terme")
    expect(reader.get_by_role("button", name="Ne plus suivre ce terme")).to_be_visible()
    check_page(reader, "term-followed")
    mail.outbox.clear()
    services.approve(services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                           content={**term.current_revision.content(), "notes_fr": "Nouvelle."}),
                     by=moderator)
    followed = [message for message in mail.outbox if message.to == [reader_account.email]]
    assert len(followed) == 1 and "/termes/metadonnees/versions/2/" in followed[0].body


def test_a_reader_cites_a_given_version_from_its_permanent_address(new_page, check_page):
    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator)
    services.approve(services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                           content={**term.current_revision.content(),
                                                    "definition_fr": "La définition d'aujourd'hui."}),
                     by=moderator)
    reader = new_page()
    reader.goto(f"/termes/{term.slug}/historique/")
    reader.get_by_role("link", name="Version 1", exact=True).click()
    expect(reader).to_have_url(re.compile(r"/termes/metadonnees/versions/1/$"))
    expect(reader.locator(".definition").first).to_contain_text("Données qui décrivent une œuvre.")
    expect(reader.locator(".version-banner")).to_contain_text("la version actuelle est la 2")
    cite = reader.locator("#citer")
    expect(cite.locator(".citation")).to_contain_text("« métadonnées », version 1")
    expect(cite.locator(".citation")).to_contain_text("/termes/metadonnees/versions/1/")
    expect(cite.locator("pre").first).to_contain_text("version = {1}")
    check_page(reader, "version")
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Télécharger la citation BibTeX").click()
    assert download.value.suggested_filename.endswith("-v1.bib")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_author_resolves_a_same_field_conflict_by_editing_the_combined_text(new_page, check_page, width):
    moderator, author = UserFactory(moderator=True), UserFactory()
    term = publish_term(moderator=moderator)
    base = term.current_revision
    mine = services.propose_edit(term=term, author=author, base_revision=base,
                                 content={**base.content(), "definition_fr": "Celle des musées."})
    services.approve(services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                           content={**base.content(), "definition_fr": "Celle des archives."}),
                     by=moderator)

    page = new_page(width=width)
    sign_in(page, author.username)
    page.goto("/mes-contributions/")
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("à mettre à jour : la version 2 a modifié un champ que vous avez modifié")
    check_page(page, f"contributions-conflict-{width}")
    row.get_by_role("link", name=re.compile("Mettre à jour")).click()
    page.get_by_label("combiner les deux : mon texte, retouché ci-dessous").check()
    page.get_by_label("Texte combiné pour « Définition (français) »").fill("Celle des archives et des musées.")
    check_page(page, f"rebase-combined-{width}")
    page.get_by_role("button", name="Mettre à jour ma proposition").click()
    expect(page.locator(".messages")).to_contain_text("part maintenant de la version 2")
    updated = Revision.objects.get(replaces=mine)
    assert updated.definition_fr == "Celle des archives et des musées." and updated.base_revision.version == 2
    page.goto("/mes-contributions/")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).not_to_contain_text("à mettre à jour")
