"""The API speaks in the versions people cite, beside its existing revision ids."""
import pytest
from rest_framework.test import APIClient

from lexique import services
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(fresh_api_cache):
    return APIClient()


def edit(term, author, **changes):
    base = term.current_revision
    return services.propose_edit(term=term, author=author, base_revision=base, content={**base.content(), **changes})


def test_terms_history_and_changes_carry_the_published_version_beside_the_revision_id(api, contributor, moderator):
    term = publish_term(moderator=moderator)
    services.reject(edit(term, contributor, notes_fr="Non."), by=moderator, reason="Non")
    services.approve(edit(term, contributor, notes_fr="Oui."), by=moderator)
    term.refresh_from_db()

    body = api.get(f"/api/v1/terms/{term.slug}/").json()
    assert body["version"] == 2 and body["revision"] == term.current_revision_id
    assert [item["version"] for item in api.get("/api/v1/terms/").json()["results"]] == [2]
    history = api.get(f"/api/v1/terms/{term.slug}/revisions/").json()["results"]
    assert sorted((item["version"], item["number"]) for item in history) == [(1, 1), (2, 3)]
    changes = api.get("/api/v1/changes/").json()["results"]
    assert [(item["kind"], item["version"]) for item in changes] == [("published", 1), ("updated", 2)]
    assert changes[-1]["term"]["version"] == 2


def test_a_proposal_says_which_version_it_started_from_and_which_is_published(api, contributor, moderator):
    term = publish_term(moderator=moderator)
    proposal = edit(term, contributor, notes_fr="Note.")
    services.approve(edit(term, UserFactory(), definition_fr="Autre."), by=moderator)
    api.force_authenticate(moderator)
    body = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert (body["base_version"], body["published_version"], body["stale"]) == (1, 2, True)
