"""API tokens: hashed in the database, expiring, named, several per account, revoked by a new password."""
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from lexique.services import tokens
from lexique.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]

PASSWORD = "mot-de-passe-test"


def authenticated(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token):
    return authenticated(token).get("/api/v1/proposals/").status_code == 200


def test_the_database_keeps_only_a_digest_of_the_token(contributor):
    response = APIClient().post("/api/v1/auth/token/", {"username": contributor.username, "password": PASSWORD,
                                                        "name": "veille"}, format="json")
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    token = response.json()["token"]
    record = ApiToken.objects.get(user=contributor)
    assert record.name == "veille" and response.json()["name"] == "veille"
    stored = [str(value) for value in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get()]
    assert token not in stored
    assert works(token)


def test_a_token_expires_after_the_configured_time(contributor, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=7)}
    record, token = tokens.create_token(contributor, name="court")
    assert timedelta(days=6, hours=23) < record.expiry - timezone.now() <= timedelta(days=7)
    ApiToken.objects.filter(pk=record.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert not works(token)


def test_an_account_has_several_named_tokens_and_revoking_one_keeps_the_others(contributor):
    first, first_token = tokens.create_token(contributor, name="script A")
    _second, second_token = tokens.create_token(contributor, name="script B")
    assert sorted(tokens.live_tokens(contributor).values_list("name", flat=True)) == ["script A", "script B"]
    assert authenticated(first_token).delete("/api/v1/auth/token/").status_code == 204
    assert not works(first_token) and works(second_token)


def test_changing_the_password_revokes_every_token(client, contributor):
    _record, token = tokens.create_token(contributor)
    contributor.set_password("un-tout-nouveau-mot-de-passe")
    contributor.save()
    assert not works(token)


def test_a_password_reset_revokes_every_token(client, contributor):
    tokens.create_token(contributor, name="un")
    _record, token = tokens.create_token(contributor, name="deux")
    uid = urlsafe_base64_encode(force_bytes(contributor.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(contributor)])
    form_url = client.get(url)["Location"]
    new = "Une-phrase-toute-neuve-77"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert not ApiToken.objects.filter(user=contributor).exists()
    assert not works(token)


def test_saving_an_account_without_a_new_password_keeps_its_tokens(contributor):
    _record, token = tokens.create_token(contributor)
    contributor.first_name = "Camille"
    contributor.save()
    assert works(token)


def test_the_account_page_shows_a_new_token_once_and_never_caches_it(client, contributor):
    client.force_login(contributor)
    created = client.post(reverse("lexique:account"), {"token": "create", "name": "veille"})
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    shown = created.context["new_token"]
    assert shown in created.content.decode() and works(shown)
    again = client.get(reverse("lexique:account"))
    assert shown not in again.content.decode() and "veille" in again.content.decode()
    assert "no-store" in again["Cache-Control"]


def test_revoking_from_the_account_page_touches_only_ones_own_tokens(client, contributor):
    from tests.support.factories import UserFactory

    other = UserFactory()
    record, token = tokens.create_token(other)
    client.force_login(contributor)
    client.post(reverse("lexique:account"), {"token": "revoke", "digest": record.digest})
    assert works(token)


def test_a_request_signed_in_without_a_token_cannot_revoke_anything(contributor):
    tokens.create_token(contributor)
    client = APIClient()
    client.force_authenticate(contributor)
    response = client.delete("/api/v1/auth/token/")
    assert response.status_code == 400
    assert tokens.live_tokens(contributor).count() == 1


def test_a_token_name_with_control_characters_is_refused_and_nothing_is_made(contributor):
    response = APIClient().post("/api/v1/auth/token/", {"username": contributor.username, "password": PASSWORD,
                                                        "name": "a\nb"}, format="json")
    assert response.status_code == 400 and "name" in response.json()["errors"]
    assert not ApiToken.objects.exists()
