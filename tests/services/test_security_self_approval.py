"""A moderator approving their own proposal: allowed and shown by default, or refused by the setting."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lexique import services
from lexique.services import tokens
from lexique.models import ModerationLogEntry, Revision, Term
from tests.support.factories import content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def test_by_default_a_self_approval_goes_through_and_the_log_and_history_say_so(client, moderator, contributor):
    term = publish_term(moderator=moderator)
    own = services.propose_edit(term=term, author=moderator, base_revision=term.current_revision,
                                content=content(definition_fr="Ma propre version."))
    services.approve(own, by=moderator)
    client.force_login(moderator)
    log = client.get(reverse("lexique:log")).content.decode()
    assert log.count("auto-approuvée") == 1  # the first version, approved by someone else, is not marked
    history = client.get(reverse("lexique:history", args=[term.slug])).content.decode()
    assert history.count("auto-approuvée") == 1


def test_when_refused_a_moderator_cannot_approve_their_own_proposal_and_nothing_changes(settings, moderator):
    settings.LEXIQUE_SELF_APPROVAL = "refuse"
    own = services.propose_term(author=moderator, content=content(headword_fr="autoportrait"))
    with pytest.raises(services.WorkflowError, match="propre proposition"):
        services.approve(own, by=moderator)
    own.refresh_from_db()
    assert own.state == Revision.State.PENDING
    assert not Term.objects.published().exists()
    assert not ModerationLogEntry.objects.filter(action=ModerationLogEntry.Action.APPROVED).exists()


def test_when_refused_another_moderator_still_approves(settings, moderator):
    from tests.support.factories import UserFactory

    settings.LEXIQUE_SELF_APPROVAL = "refuse"
    own = services.propose_term(author=moderator, content=content(headword_fr="autoportrait"))
    services.approve(own, by=UserFactory(moderator=True))
    assert Term.objects.published().count() == 1


def test_when_refused_the_api_answers_409_with_the_reason(settings, moderator):
    settings.LEXIQUE_SELF_APPROVAL = "refuse"
    own = services.propose_term(author=moderator, content=content(headword_fr="autoportrait"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.create_token(moderator)[1]}")
    response = client.post(f"/api/v1/proposals/{own.pk}/approve/", {}, format="json")
    assert response.status_code == 409 and "propre proposition" in response.json()["detail"]
