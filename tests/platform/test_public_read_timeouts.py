"""A time limit on every statement of a public read: a 503 with Retry-After when it is reached, never a 500."""
import logging

import pytest
from django.db import connection
from django.urls import reverse

from lexique.search import suggestions
from tests.support.factories import UserFactory, publish_term

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout"),
]


@pytest.fixture
def lexicon():
    publish_term(headword_fr="réseau social", headword_en="social network")


def test_a_public_read_past_the_time_limit_is_a_503_with_retry_after(client, lexicon, settings, monkeypatch,
                                                                      caplog):
    settings.PUBLIC_READ_TIMEOUT_MS = 20
    monkeypatch.setattr(suggestions, "suggest", _slow)
    with caplog.at_level(logging.WARNING, logger="lexique.timeouts"):
        response = client.get(reverse("lexique:suggestions"), {"q": "reseau"})
    assert response.status_code == 503 and response["Retry-After"]
    assert "Statement timeout" in caplog.text


def test_the_api_answers_a_statement_timeout_with_its_json_503(client, lexicon, settings, monkeypatch):
    settings.PUBLIC_READ_TIMEOUT_MS = 20
    monkeypatch.setattr("lexique.api.filters.search", lambda value, **options: _slow())
    response = client.get("/api/v1/terms/", {"q": "reseau"})
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["code"] == "unavailable"


def test_signed_in_readers_have_no_time_limit(client, lexicon, settings):
    settings.PUBLIC_READ_TIMEOUT_MS = 20
    client.get(reverse("lexique:suggestions"), {"q": "reseau"})
    assert _current_timeout() == "20ms"
    client.force_login(UserFactory())
    client.get(reverse("lexique:suggestions"), {"q": "reseau"})
    assert _current_timeout() == "0"


def _slow(*args, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.5)")
    return []


def _current_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]
