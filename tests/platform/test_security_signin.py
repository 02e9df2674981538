"""Password guessing is limited everywhere a password is checked; reset e-mails and sign-ups cannot be repeated at will."""
import secrets
import time
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from lexique.web.forms import SIGNUP_SALT
from tests.support.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]

PASSWORD = "mot-de-passe-test"


@pytest.fixture
def no_api_throttles(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}


def sign_in(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_fifty_wrong_passwords_on_the_site_lock_the_account_out_even_for_the_right_one(contributor):
    client = Client()
    url = reverse("login")
    for _ in range(50):
        sign_in(client, url, contributor.username, "mauvais")
    response = sign_in(client, url, contributor.username, PASSWORD)
    assert response.status_code == 429
    assert "Connexion bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_limited_too(moderator):
    moderator.is_staff = True
    moderator.save()
    client = Client()
    for _ in range(50):
        sign_in(client, "/admin/login/", moderator.username, "mauvais")
    response = sign_in(client, "/admin/login/", moderator.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_from_one_address_never_lock_the_owner_out_from_another(contributor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("login")
    attacker = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(10):
        sign_in(attacker, url, contributor.username, "mauvais")
    assert sign_in(attacker, url, contributor.username, PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), url, contributor.username, PASSWORD).status_code == 302


def test_guesses_from_many_addresses_back_off_new_devices_but_not_a_known_one(contributor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 6
    url = reverse("login")
    owner = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(owner, url, contributor.username, PASSWORD).status_code == 302
    owner.post(reverse("logout"))  # signing out keeps the device's mark (the test client's logout() would not)
    for number in range(8):
        sign_in(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), url, contributor.username, "mauvais")
    # A device never seen with this account waits, even with the right password, and is told why.
    stranger = sign_in(Client(REMOTE_ADDR="192.0.2.44"), url, contributor.username, PASSWORD)
    assert stranger.status_code == 429 and int(stranger["Retry-After"]) == 60 * 60
    assert "déjà connecté" in stranger.content.decode()
    # The owner's device, now on another network (its cookie, not its address, is known), signs in.
    owner.defaults["REMOTE_ADDR"] = "192.0.2.45"
    assert sign_in(owner, url, contributor.username, PASSWORD).status_code == 302


def test_an_address_that_signed_in_before_passes_the_account_back_off_without_its_cookie(contributor, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    url = reverse("login")
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), url, contributor.username, PASSWORD).status_code == 302
    for number in range(5):
        sign_in(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), url, contributor.username, "mauvais")
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), url, contributor.username, PASSWORD).status_code == 302


def test_a_forged_device_cookie_is_not_a_known_device(contributor, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    url = reverse("login")
    for number in range(5):
        sign_in(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), url, contributor.username, "mauvais")
    forger = Client(REMOTE_ADDR="192.0.2.44")
    forger.cookies["lexique_device"] = "0123456789abcdef"
    assert sign_in(forger, url, contributor.username, PASSWORD).status_code == 429


def test_the_owner_is_told_once_an_hour_that_their_account_is_being_guessed(
        contributor, settings, django_capture_on_commit_callbacks):
    settings.LOGIN_GUESSING_ALERT_FAILURES = 4
    url = reverse("login")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(12):
            sign_in(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), url, contributor.username, "mauvais")
    assert [message.to for message in mail.outbox] == [[contributor.email]]
    assert "mots de passe erronés" in mail.outbox[0].body


def test_the_limit_holds_per_address_whatever_account_is_guessed(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    accounts = UserFactory.create_batch(4)
    client = Client(REMOTE_ADDR="198.51.100.7")
    for account in accounts[:3]:
        sign_in(client, reverse("login"), account.username, "mauvais")
    assert sign_in(client, reverse("login"), accounts[3].username, PASSWORD).status_code == 429
    # Another address signs in to that account normally.
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), reverse("login"), accounts[3].username, PASSWORD).status_code == 302


def test_the_lockout_page_speaks_english_under_en(contributor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(3):
        response = sign_in(client, "/en/comptes/connexion/", contributor.username, "mauvais")
    assert response.status_code == 429
    assert "Sign-in blocked" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_a_successful_sign_in_before_the_limit_clears_the_failures(contributor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    url = reverse("login")
    for _ in range(2):
        sign_in(client, url, contributor.username, "mauvais")
    assert sign_in(client, url, contributor.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        sign_in(client, url, contributor.username, "mauvais")
    assert sign_in(client, url, contributor.username, PASSWORD).status_code == 302


def test_wrong_passwords_for_an_api_token_count_towards_the_same_lockout(contributor, settings, no_api_throttles):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    url = "/api/v1/auth/token/"
    statuses = [client.post(url, {"username": contributor.username, "password": "mauvais"}, format="json").status_code
                for _ in range(3)]
    assert statuses == [401, 401, 429]
    response = client.post(url, {"username": contributor.username, "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out" and int(response["Retry-After"]) == 15 * 60
    # The site's sign-in form is locked for that account too.
    assert sign_in(Client(), reverse("login"), contributor.username, PASSWORD).status_code == 429


def test_password_reset_emails_to_one_address_stop_after_three_an_hour_and_the_page_says_the_same(
        contributor, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave once the request has committed
        answers = [client.post(reverse("password_reset"), {"email": contributor.email}) for _ in range(15)]
    assert len(mail.outbox) == 3
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, reverse("password_reset_done"))}


def test_password_reset_requests_from_one_client_are_limited_whatever_the_address(
        settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 4
    people = UserFactory.create_batch(6)
    client = Client(REMOTE_ADDR="198.51.100.8")
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            client.post(reverse("password_reset"), {"email": person.email})
    assert len(mail.outbox) == 4


def signup_data(**overrides):
    data = {"username": "nouvelle", "email": "nouvelle@example.org", "password1": "Une-phrase-longue-42",
            "password2": "Une-phrase-longue-42", "website": "",
            "started": signing.dumps({"nonce": secrets.token_urlsafe(8)}, salt=SIGNUP_SALT)}
    data.update(overrides)
    return data


@pytest.fixture
def form_timer(client, signup_timer_off):
    """The timer of a freshly loaded sign-up page, accepted at once."""
    page = client.get(reverse("lexique:signup"))
    return page.context["form"].initial["started"]


def test_a_sign_up_sent_sooner_than_a_person_types_is_refused_and_accepted_once_the_time_has_passed(
        client, settings):
    settings.SIGNUP_MIN_SECONDS = 2
    served_at = time.time()
    with patch("django.core.signing.time.time", return_value=served_at):
        token = client.get(reverse("lexique:signup")).context["form"].initial["started"]
    with patch("django.core.signing.time.time", return_value=served_at + 1):
        too_soon = client.post(reverse("lexique:signup"), signup_data(started=token))
    assert too_soon.status_code == 200 and "trop vite" in too_soon.content.decode()
    with patch("django.core.signing.time.time", return_value=served_at + 3):
        assert client.post(reverse("lexique:signup"), signup_data(started=token)).status_code == 302
    assert get_user_model().objects.filter(username="nouvelle").exists()


def test_one_sign_up_timer_makes_one_account_only(form_timer):
    first = Client().post(reverse("lexique:signup"), signup_data(started=form_timer))
    assert first.status_code == 302
    second = Client().post(reverse("lexique:signup"), signup_data(started=form_timer, username="autre",
                                                                 email="autre@example.org"))
    assert second.status_code == 200 and "déjà servi" in second.content.decode()
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["nouvelle"]


def test_a_sign_up_corrected_after_a_mistake_still_goes_through_with_the_same_timer(client, form_timer):
    mistake = client.post(reverse("lexique:signup"), signup_data(started=form_timer, password2="autre-chose-99"))
    assert mistake.status_code == 200
    assert client.post(reverse("lexique:signup"), signup_data(started=form_timer)).status_code == 302


def test_signing_up_with_a_known_address_answers_as_any_sign_up_and_tells_its_owner(
        form_timer, django_capture_on_commit_callbacks):
    owner = UserFactory(email="camille@example.org")
    fresh = Client().post(reverse("lexique:signup"), signup_data(started=form_timer, username="inconnue",
                                                                email="inconnue@example.org"), follow=True)
    page = Client()
    token = page.get(reverse("lexique:signup")).context["form"].initial["started"]
    with django_capture_on_commit_callbacks(execute=True):
        known = page.post(reverse("lexique:signup"), signup_data(started=token, username="intruse",
                                                                email="CAMILLE@example.org"), follow=True)
    assert known.redirect_chain == fresh.redirect_chain
    assert known.status_code == fresh.status_code == 200
    assert "déjà" not in known.content.decode()
    # The address gets the one e-mail of the day: the link, naming the account that already holds it.
    assert [message.to for message in mail.outbox] == [["CAMILLE@example.org"]]
    assert owner.username in mail.outbox[0].body
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_known_address_gets_the_same_answer_when_the_mail_server_is_down(
        form_timer, settings, django_capture_on_commit_callbacks):
    UserFactory(email="camille@example.org")
    # A real SMTP client against a port where nothing listens: the connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().post(reverse("lexique:signup"), signup_data(started=form_timer, username="intruse",
                                                                      email="camille@example.org"))
    assert answer.status_code == 302 and answer["Location"] == reverse("lexique:home")
