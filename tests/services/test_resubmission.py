"""Resubmitting a new term under the headword of another, refused draft: never a server error."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lexique import services
from lexique.services import tokens
from lexique.models import Revision, Term
from tests.support.factories import UserFactory, content

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused_draft(moderator):
    """A new term 'Zorglub' that a moderator refused: its draft term still exists, holding nothing."""
    refused = services.propose_term(author=UserFactory(), content=content(headword_fr="Zorglub"))
    services.reject(refused, by=moderator, reason="Hors sujet")
    return refused


@pytest.fixture
def to_change(contributor, moderator):
    """Another new term, 'balado', sent back to its author for changes."""
    proposal = services.propose_term(author=contributor, content=content(headword_fr="balado"))
    services.request_changes(proposal, by=moderator, comment="Un autre nom ?")
    return proposal


def test_resubmitting_under_the_headword_of_a_refused_draft_takes_that_headword(
    refused_draft, to_change, contributor
):
    new = services.resubmit(revision=to_change, author=contributor, content=content(headword_fr="Zorglub"))
    term = Term.objects.get(pk=new.term_id)
    assert (term.slug, term.headword_fr, new.state) == ("zorglub", "Zorglub", "pending")
    old = Term.objects.get(pk=refused_draft.term_id)
    assert old.slug != "zorglub" and old.status == Term.Status.DRAFT
    assert list(old.revisions.values_list("state", flat=True)) == ["rejected"]


def test_after_such_a_resubmission_the_headword_is_held_by_the_resubmitted_proposal(
    refused_draft, to_change, contributor, moderator
):
    new = services.resubmit(revision=to_change, author=contributor, content=content(headword_fr="Zorglub"))
    with pytest.raises(services.ValidationError) as error:
        services.propose_term(author=UserFactory(), content=content(headword_fr="zorglub"))
    assert "attend les modérateurs" in error.value.message_dict["headword_fr"][0]
    services.approve(new, by=moderator)
    with pytest.raises(services.ValidationError) as error:
        services.propose_term(author=UserFactory(), content=content(headword_fr="Zorglub"))
    assert "existe déjà" in error.value.message_dict["headword_fr"][0]
    assert Term.objects.published().get().slug == "zorglub"


def test_resubmitting_twice_under_headwords_of_refused_drafts_keeps_every_slug_unique(
    refused_draft, to_change, contributor, moderator
):
    other = services.propose_term(author=UserFactory(), content=content(headword_fr="Tartempion"))
    services.reject(other, by=moderator, reason="Hors sujet")
    first = services.resubmit(revision=to_change, author=contributor, content=content(headword_fr="Zorglub"))
    services.request_changes(first, by=moderator, comment="Encore un autre ?")
    second = services.resubmit(revision=first, author=contributor, content=content(headword_fr="Tartempion"))
    assert Term.objects.get(pk=second.term_id).slug == "tartempion"
    slugs = list(Term.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 3


def test_the_resubmission_page_accepts_the_headword_of_a_refused_draft(refused_draft, to_change, client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("lexique:resubmit", args=[to_change.pk]), {
        "headword_fr": "Zorglub", "definition_fr": "Un terme repris.", "submit": "1",
    })
    assert response.status_code == 302
    assert Revision.objects.pending().get().headword_fr == "Zorglub"


def test_the_api_resubmission_accepts_the_headword_of_a_refused_draft(refused_draft, to_change, contributor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.create_token(contributor)[1]}")
    response = client.post(f"/api/v1/proposals/{to_change.pk}/resubmit/", {"headword_fr": "Zorglub"}, format="json")
    assert response.status_code == 201, response.json()
    assert Revision.objects.get(pk=response.json()["id"]).term.slug == "zorglub"


def test_resubmitting_under_the_headword_of_a_live_proposal_is_a_validation_error(to_change, contributor):
    services.propose_term(author=UserFactory(), content=content(headword_fr="Zorglub"))
    with pytest.raises(services.ValidationError) as error:
        services.resubmit(revision=to_change, author=contributor, content=content(headword_fr="zorglub"))
    assert "attend les modérateurs" in error.value.message_dict["headword_fr"][0]
    assert Revision.objects.get(pk=to_change.pk).state == "changes_requested"
