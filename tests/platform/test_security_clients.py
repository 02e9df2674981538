"""One client address for the whole site: X-Forwarded-For counts only behind configured, trusted proxies."""
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from lexique.platform.clients import client_address

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_configured_proxies_the_forwarded_header_is_ignored(settings):
    settings.NUM_PROXIES = 0
    assert client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_one_proxy_the_client_is_the_entry_that_proxy_appended(settings):
    settings.NUM_PROXIES = 1
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_address(request_from("10.0.0.2", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.NUM_PROXIES = 2
    assert client_address(request_from("10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.2")) == "198.51.100.1"


def test_a_proxy_header_that_is_missing_or_not_an_address_falls_back_to_the_socket(settings):
    settings.NUM_PROXIES = 1
    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"
    assert client_address(request_from("10.0.0.2", "nimportequoi")) == "10.0.0.2"


def test_fifty_guesses_with_fifty_forwarded_addresses_are_still_one_client_for_the_api(settings, contributor):
    settings.NUM_PROXIES = 0
    settings.AXES_ENABLED = False  # the throttle alone, as when the axes limit is set higher
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": "10/minute"}}
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": contributor.username, "password": "mauvais"}, format="json",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code
        for number in range(50)
    ]
    assert statuses.count(429) == 40


def test_anonymous_reads_are_throttled_by_the_real_address_whatever_the_header_says(settings):
    settings.NUM_PROXIES = 0
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": None, "token": None}}
    client = APIClient()
    statuses = [client.get("/api/v1/domains/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_sign_in_limits_see_the_same_address_as_the_throttles(settings, contributor):
    settings.NUM_PROXIES = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2  # over every account, from one address
    other = type(contributor).objects.create_user("autre", "autre@example.org", "mot-de-passe-test")
    url = reverse("login")
    # Two guesses from one client behind the proxy (different accounts, spoofed left-hand entries)...
    for number, username in enumerate((contributor.username, "personne-inconnue")):
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.1.1.{number}, 198.51.100.1").post(
            url, {"username": username, "password": "mauvais"})
    # ... lock that client out, even for a third account with its right password,
    locked = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert locked.post(url, {"username": other.username, "password": "mot-de-passe-test"}).status_code == 429
    # while another client behind the same proxy signs in.
    free = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert free.post(url, {"username": other.username, "password": "mot-de-passe-test"}).status_code == 302
