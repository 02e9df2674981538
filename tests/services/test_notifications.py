"""E-mails: in the language of the person written to, one per person for one event, each linking where it helps."""
import pytest
from django.core import mail
from django.urls import reverse

from lexique import services
from lexique.models import ContributorPreferences
from lexique.services.preferences import email_language, set_email_language
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db


def proposal_on(term, author, **changes):
    base = term.current_revision
    return services.propose_edit(term=term, author=author, base_revision=base, content={**base.content(), **changes})


def test_a_person_who_writes_on_the_english_site_gets_english_e_mails(client, contributor, moderator,
                                                                       django_capture_on_commit_callbacks):
    term = publish_term(moderator=moderator)
    client.force_login(contributor)
    client.post(reverse("lexique:follow", kwargs={"slug": term.slug}).replace("/termes/", "/en/termes/"))
    assert email_language(contributor) == "en"
    proposal = proposal_on(term, contributor, notes_fr="Note.")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(proposal, by=moderator, reason="Doublon.")
    [message] = mail.outbox
    assert "Your proposal" in message.body and "Votre proposition" not in message.body
    assert f"/en/propositions/{proposal.pk}/" in message.body


def test_a_language_chosen_on_the_account_page_beats_the_last_one_used(client, contributor):
    client.force_login(contributor)
    client.post("/en/comptes/profil/", {"email_language": "fr"})
    client.post("/en/comptes/profil/", {"credits": "off"})
    assert ContributorPreferences.objects.get(user=contributor).language == "fr"
    assert email_language(contributor) == "fr"
    set_email_language(contributor, language="")
    assert email_language(contributor) == "en"


def test_the_approved_e_mail_links_to_the_term_and_a_following_author_gets_only_that_one(
        contributor, moderator, settings, django_capture_on_commit_callbacks):
    term = publish_term(moderator=moderator)
    services.follow_term(term=term, user=contributor)
    follower = UserFactory()
    services.follow_term(term=term, user=follower)
    proposal = proposal_on(term, contributor, notes_fr="Note.")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(proposal, by=moderator)
    by_person = {tuple(message.to): message for message in mail.outbox}
    assert sorted(by_person) == sorted([(contributor.email,), (follower.email,)])
    assert settings.SITE_URL.rstrip("/") + "/termes/metadonnees/\n" in by_person[(contributor.email,)].body
    assert "mes-contributions" not in by_person[(contributor.email,)].body


def test_an_author_whose_proposal_now_conflicts_is_told_which_field_once(
        contributor, moderator, django_capture_on_commit_callbacks):
    term = publish_term(moderator=moderator)
    other = UserFactory()
    waiting = proposal_on(term, contributor, definition_fr="Ma définition.")
    services.follow_term(term=term, user=contributor)
    first = proposal_on(term, other, definition_fr="Une autre définition.")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(first, by=moderator)
    [message] = [message for message in mail.outbox if message.to == [contributor.email]]
    assert "Définition (français)" in message.body and f"/propositions/{waiting.pk}/" in message.body
    assert "version 2" in message.subject


def test_an_author_whose_proposal_is_only_behind_is_told_it_updates_in_a_click(
        contributor, moderator, django_capture_on_commit_callbacks):
    term = publish_term(moderator=moderator)
    proposal_on(term, contributor, notes_fr="Ma note.")
    first = proposal_on(term, UserFactory(), definition_fr="Une autre définition.")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(first, by=moderator)
    [message] = [message for message in mail.outbox if message.to == [contributor.email]]
    assert "en un clic" in message.body


def test_a_list_both_sides_changed_can_keep_the_items_of_both(contributor, moderator):
    from tests.support.factories import content

    for headword in ("art numérique", "numérique", "commerce électronique"):
        publish_term(**content(headword_fr=headword, headword_en=""))
    term = publish_term(moderator=moderator)
    base = term.current_revision
    mine = proposal_on(term, contributor, related=["art-numerique"])
    services.approve(proposal_on(term, UserFactory(), related=["numerique", "commerce-electronique"]), by=moderator)
    updated = services.rebase(revision=mine, author=contributor, choices={"related": "combined"})
    assert updated.related_slugs == ["numerique", "commerce-electronique", "art-numerique"]
    assert base.version == 1 and updated.base_revision.version == 2


def test_a_combined_text_left_empty_is_refused_and_nothing_is_written(contributor, moderator):
    term = publish_term(moderator=moderator)
    mine = proposal_on(term, contributor, definition_fr="Celle des musées.")
    services.approve(proposal_on(term, UserFactory(), definition_fr="Celle des archives."), by=moderator)
    with pytest.raises(services.ValidationError) as error:
        services.rebase(revision=mine, author=contributor, choices={"definition_fr": "combined"},
                        combined={"definition_fr": "  "})
    assert "definition_fr" in error.value.message_dict
    mine.refresh_from_db()
    assert mine.state == "pending"
