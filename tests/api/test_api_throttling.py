"""Request rates: anonymous and signed-in clients are slowed down with 429 and Retry-After."""
import pytest
from rest_framework.test import APIClient

from lexique.services import tokens
from tests.support.factories import publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def rates(settings, **values):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None, **values}}


def test_an_anonymous_client_over_its_rate_gets_429_with_retry_after(settings):
    rates(settings, anon="3/minute")
    publish_term()
    client = APIClient()
    statuses = [client.get("/api/v1/terms/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/terms/")
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_signed_in_client_is_counted_by_account_at_its_own_rate(settings, contributor):
    rates(settings, anon="1/minute", user="3/minute")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.create_token(contributor)[1]}")
    statuses = [client.get("/api/v1/proposals/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_password_attempts_for_a_token_are_limited(settings, contributor):
    rates(settings, token="2/minute")
    client = APIClient()
    attempts = [client.post("/api/v1/auth/token/", {"username": contributor.username, "password": "non"},
                            format="json").status_code for _ in range(3)]
    assert attempts == [401, 401, 429]
