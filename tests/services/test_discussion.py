"""Discussion: proposal threads and term talk pages, notifications, following, hiding; citable versions."""
import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from lexique import selectors, services
from lexique.models import Comment, CommentImmutableError, ModerationLogEntry, TermFollow
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def proposal_on(term, author, **changes):
    base = term.current_revision
    return services.propose_edit(term=term, author=author, base_revision=base, content={**base.content(), **changes})


def test_the_author_and_the_moderators_discuss_a_proposal_with_the_decision_in_the_thread(
        contributor, moderator, django_capture_on_commit_callbacks):
    term = publish_term(moderator=moderator)
    proposal = proposal_on(term, contributor, notes_fr="Note.")
    services.request_changes(proposal, by=moderator, comment="Une source, s'il vous plaît.")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_on_proposal(revision=proposal, author=contributor, body="Laquelle conseillez-vous ?")
    assert [message.to for message in mail.outbox[-1:]] == [[moderator.email]]
    assert "Laquelle conseillez-vous ?" in mail.outbox[-1].body
    proposal.refresh_from_db()
    kinds = [entry["kind"] for entry in selectors.proposal_thread(proposal)]
    assert kinds == ["decision", "comment"]


def test_a_third_person_cannot_write_in_a_proposals_thread(contributor, moderator):
    proposal = proposal_on(publish_term(moderator=moderator), contributor, notes_fr="Note.")
    with pytest.raises(services.PermissionDenied):
        services.comment_on_proposal(revision=proposal, author=UserFactory(), body="Bonjour")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 3001, "a\x00b", "voir\u202eli", "\u200b"])
def test_an_empty_overlong_or_hidden_character_comment_is_refused_and_nothing_is_written(contributor, body):
    term = publish_term()
    with pytest.raises(services.ValidationError):
        services.comment_on_term(term=term, author=contributor, body=body)
    assert not Comment.objects.exists()


def test_comments_are_limited_per_account_and_hour(contributor, settings):
    settings.LEXIQUE_COMMENTS_PER_HOUR = 2
    term = publish_term()
    for number in range(2):
        services.comment_on_term(term=term, author=contributor, body=f"Message {number}")
    with pytest.raises(services.RateLimited):
        services.comment_on_term(term=term, author=contributor, body="Un de trop")
    services.comment_on_term(term=term, author=UserFactory(), body="Une autre personne peut encore écrire")
    assert Comment.objects.count() == 3


def test_followers_hear_of_a_term_comment_and_the_writer_follows_from_then_on(
        contributor, django_capture_on_commit_callbacks):
    term = publish_term()
    follower = UserFactory()
    services.follow_term(term=term, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_on_term(term=term, author=contributor, body="Le mot s'emploie aussi au pluriel.")
    assert [message.to for message in mail.outbox] == [[follower.email]]
    assert reverse("lexique:discussion", args=[term.slug]) in mail.outbox[0].body
    assert TermFollow.objects.filter(term=term, user=contributor).exists()


def test_followers_hear_of_a_new_version_with_its_permanent_address(
        contributor, moderator, django_capture_on_commit_callbacks):
    term = publish_term(moderator=moderator)
    services.follow_term(term=term, user=contributor)
    services.follow_term(term=term, user=contributor)  # twice changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(proposal_on(term, UserFactory(), notes_fr="Note."), by=moderator)
    [message] = [message for message in mail.outbox if message.to == [contributor.email]]
    assert "version 2" in message.subject
    assert reverse("lexique:term-version", args=[term.slug, 2]) in message.body
    assert all(moderator.email not in message.to for message in mail.outbox)
    services.unfollow_term(term=term, user=contributor)
    assert not TermFollow.objects.exists()


def test_a_moderator_hides_a_comment_with_a_reason_kept_in_the_log_and_the_comment_stays(contributor, moderator):
    term = publish_term(moderator=moderator)
    comment = services.comment_on_term(term=term, author=contributor, body="Publicité !")
    with pytest.raises(services.ValidationError):
        services.hide_comment(comment, by=moderator, reason=" ")
    with pytest.raises(services.PermissionDenied):
        services.hide_comment(comment, by=contributor, reason="Non")
    services.hide_comment(comment, by=moderator, reason="Publicité")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.body == "Publicité !"
    entry = ModerationLogEntry.objects.get(action=ModerationLogEntry.Action.COMMENT_HIDDEN)
    assert (entry.actor, entry.term, entry.comment) == (moderator, term, "Publicité")
    with pytest.raises(CommentImmutableError):
        comment.delete()
    with pytest.raises(CommentImmutableError):
        Comment.objects.filter(pk=comment.pk).update(body="Autre chose")


def test_a_hidden_comment_is_no_longer_shown_to_readers_but_moderators_see_it(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    comment = services.comment_on_term(term=term, author=contributor, body="Texte à masquer")
    services.hide_comment(comment, by=moderator, reason="Insulte")
    url = reverse("lexique:discussion", args=[term.slug])
    page = client.get(url).content.decode()
    assert "Texte à masquer" not in page and "masqué par la modération" in page
    client.force_login(moderator)
    assert "Insulte" in client.get(url).content.decode()


def test_an_anonymous_visitor_reads_the_talk_page_but_is_sent_to_sign_in_to_write(client):
    term = publish_term()
    url = reverse("lexique:discussion", args=[term.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Bonjour"})
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    assert not Comment.objects.exists()


def test_every_published_version_has_a_permanent_page_with_citations(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    services.approve(proposal_on(term, contributor, definition_fr="Deuxième définition."), by=moderator)
    first = client.get(reverse("lexique:term-version", args=[term.slug, 1])).content.decode()
    assert "Données qui <em>décrivent</em> une œuvre." in first and "la version actuelle est la 2" in first
    assert "/termes/metadonnees/versions/1/" in first and "@misc{" in first
    assert client.get(reverse("lexique:term-version", args=[term.slug, 3])).status_code == 404
    csl = json.loads(client.get(reverse("lexique:citation-csl", args=[term.slug, 2])).content)
    assert csl[0]["version"] == "2" and csl[0]["URL"].endswith("/termes/metadonnees/versions/2/")
    bib = client.get(reverse("lexique:citation-bibtex", args=[term.slug, 2])).content.decode()
    assert "version = {2}" in bib and "url = {" in bib


def test_the_history_and_diffs_speak_in_published_versions(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    services.reject(proposal_on(term, contributor, notes_fr="Non."), by=moderator, reason="Non")
    services.approve(proposal_on(term, contributor, notes_fr="Oui."), by=moderator)
    history = client.get(reverse("lexique:history", args=[term.slug])).content.decode()
    assert 'value="2"' in history and 'value="3"' not in history
    diff = client.get(reverse("lexique:diff", args=[term.slug]), {"de": 1, "a": 2})
    assert diff.status_code == 200 and "De la version 1 à la version 2" in diff.content.decode()


def test_an_empty_discussion_says_so_in_a_paragraph_not_as_a_numbered_message(client, contributor):
    term = publish_term()
    proposal = services.propose_term(author=contributor, content={**term.current_revision.content(),
                                                                   "headword_fr": "balado"})
    client.force_login(contributor)
    for address in (reverse("lexique:discussion", args=[term.slug]), reverse("lexique:proposal", args=[proposal.pk])):
        page = client.get(address).content.decode()
        assert """<p class="thread-empty">Aucun message pour l'instant.</p>""" in page
        assert '<ol class="thread">' not in page
