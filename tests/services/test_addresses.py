"""Confirmed addresses: a new account confirms its address before it proposes, comments or follows;
sign-ups cannot be turned into an e-mail cannon; changing an address confirms the new one first."""
import re
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from lexique import services
from lexique.models import AccountEmail
from lexique.services import accounts, tokens
from lexique.web.forms import SIGNUP_SALT
from tests.support.factories import UserFactory, content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signup_timer_off")]

LINK = re.compile(r"https://lexique\.test(/(?:en/)?comptes/confirmation/[^/\s]+/[^/\s]+/)")


def sign_up(client, username, email, **extra):
    data = {"username": username, "email": email, "password1": "Une-phrase-longue-42",
            "password2": "Une-phrase-longue-42", "website": "",
            "started": signing.dumps({"nonce": secrets.token_urlsafe(8)}, salt=SIGNUP_SALT)}
    return client.post(reverse("lexique:signup"), data, **extra)


def confirmation_path(message):
    return LINK.search(message.body).group(1)


def test_a_new_account_cannot_propose_until_it_follows_the_link(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(client, "nouvelle", "nouvelle@example.org").status_code == 302
    user = get_user_model().objects.get(username="nouvelle")
    assert client.get(reverse("lexique:propose")).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.propose_term(author=user, content=content(headword_fr="refusé"))
    path = confirmation_path(mail.outbox[0])
    # Opening the link confirms nothing (a mail scanner opens links); the button does.
    assert client.get(path).status_code == 200
    assert not accounts.is_confirmed(user)
    assert client.post(path).status_code == 302
    assert accounts.is_confirmed(user)
    assert client.get(reverse("lexique:propose")).status_code == 200
    services.propose_term(author=user, content=content(headword_fr="accepté"))
    # The link works once.
    assert Client().post(path).status_code == 400


def test_an_unconfirmed_account_neither_comments_nor_follows():
    user = UserFactory()
    AccountEmail.objects.create(user=user)
    term = publish_term()
    with pytest.raises(services.PermissionDenied):
        services.comment_on_term(term=term, author=user, body="Bonjour")
    with pytest.raises(services.PermissionDenied):
        services.follow_term(term=term, user=user)


def test_an_account_made_before_addresses_were_confirmed_keeps_working_and_is_asked_at_sign_in():
    user = UserFactory()
    term = publish_term()
    services.follow_term(term=term, user=user)
    client = Client()
    page = client.post(reverse("login"), {"username": user.username, "password": "mot-de-passe-test"}, follow=True)
    assert "Confirmez votre adresse courriel" in page.content.decode()
    assert client.get(reverse("lexique:propose")).status_code == 200


def test_six_sign_ups_with_one_address_send_it_one_e_mail(django_capture_on_commit_callbacks, settings):
    settings.SIGNUPS_PER_CLIENT_PER_HOUR = 0
    UserFactory(email="victime@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(6):
            sign_up(Client(), f"intrus{number}", "victime@example.org")
    assert [message.to for message in mail.outbox] == [["victime@example.org"]]


def test_sign_ups_from_one_client_address_are_limited(settings):
    settings.SIGNUPS_PER_CLIENT_PER_HOUR = 3
    answers = [sign_up(Client(REMOTE_ADDR="198.51.100.5"), f"compte{number}", f"c{number}@example.org").status_code
               for number in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert get_user_model().objects.count() == 3
    assert sign_up(Client(REMOTE_ADDR="198.51.100.6"), "ailleurs", "a@example.org").status_code == 302


def test_changing_an_address_confirms_the_new_one_before_it_replaces_the_old(django_capture_on_commit_callbacks):
    user = UserFactory(email="ancienne@example.org")
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lexique:account"), {"email-action": "change", "email": "nouvelle@example.org"})
    user.refresh_from_db()
    assert user.email == "ancienne@example.org"
    assert [message.to for message in mail.outbox] == [["nouvelle@example.org"]]
    assert client.post(confirmation_path(mail.outbox[0])).status_code == 302
    user.refresh_from_db()
    assert user.email == "nouvelle@example.org" and accounts.is_confirmed(user)


def test_a_link_sent_to_an_address_dies_when_another_address_is_asked_for(django_capture_on_commit_callbacks):
    user = UserFactory(email="ancienne@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        accounts.change_address(user=user, email="premiere@example.org")
        accounts.change_address(user=user, email="seconde@example.org")
    first, second = (confirmation_path(message) for message in mail.outbox)
    assert Client().post(first).status_code == 400
    assert Client().post(second).status_code == 302
    user.refresh_from_db()
    assert user.email == "seconde@example.org"


def test_an_unconfirmed_account_cannot_propose_through_the_api_either():
    user = UserFactory()
    AccountEmail.objects.create(user=user)
    _record, token = tokens.create_token(user, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/v1/proposals/", content(headword_fr="par l'API"), format="json")
    assert response.status_code == 403
    assert "Confirmez" in response.json()["detail"]
