"""The changes feed's time window: since and until, with the cursor's guarantees kept inside it."""
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from lexique.models import PublicationEvent
from tests.support.factories import publish_term

pytestmark = pytest.mark.usefixtures("fresh_api_cache")


def at(day):
    return datetime(2026, 3, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def three_days(moderator):
    """Three publications, on 1, 2 and 3 March (dated after the fact: the log's times follow its sequence)."""
    for day, headword in ((1, "archive"), (2, "billetterie"), (3, "captation")):
        publish_term(moderator=moderator, headword_fr=headword, headword_en="")
        PublicationEvent.objects.filter(sequence=PublicationEvent.objects.order_by("-sequence")[0].sequence).update(
            created_at=at(day))


def read(url):
    response = APIClient().get(url)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_since_and_until_select_the_events_of_a_window(three_days):
    page = read("/api/v1/changes/?since=2026-03-02T00:00:00Z&until=2026-03-03T00:00:00Z")
    assert [event["slug"] for event in page["results"]] == ["billetterie"]
    assert page["has_more"] is False
    assert [event["slug"] for event in read("/api/v1/changes/?until=2026-03-02T12:00:00Z")["results"]] == ["archive"]


@pytest.mark.django_db
def test_the_cursor_pages_through_a_window_without_leaving_it(three_days):
    page = read("/api/v1/changes/?until=2026-03-02T18:00:00Z&page_size=1")
    assert [event["sequence"] for event in page["results"]] == [1] and page["has_more"] is True
    assert "until=2026-03-02T18%3A00%3A00Z" in page["next"]
    page = read(page["next"])
    assert [event["sequence"] for event in page["results"]] == [2] and page["has_more"] is False
    page = read(page["next"])
    # The window is exhausted: nothing, and the cursor stays where it was.
    assert page["results"] == [] and page["cursor"] == 2 and page["has_more"] is False
    # Without the window, the same cursor goes on.
    assert [event["sequence"] for event in read("/api/v1/changes/?cursor=2")["results"]] == [3]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["until=hier", "until="])
def test_a_bad_window_is_a_400(three_days, query):
    response = APIClient().get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert "until" in response.json()["errors"]


@pytest.mark.django_db
def test_a_window_that_ends_before_it_starts_is_empty(three_days):
    page = read("/api/v1/changes/?since=2026-03-03T00:00:00Z&until=2026-03-02T00:00:00Z")
    assert page["results"] == [] and page["has_more"] is False
