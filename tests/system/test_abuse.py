"""The red-team findings of the accounts and e-mail review, each reproduced as its attacker did it and
shown to hold no more: real requests through the site and the API, real e-mails in Django's outbox."""
import secrets
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from lexique import services
from lexique.api.views import SchemaView
from lexique.core import diff
from lexique.editions.services import publish_edition
from lexique.web.forms import SIGNUP_SALT
from tests.support.factories import UserFactory, content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]

PASSWORD = "mot-de-passe-test"
ATTACKER, MODERATOR_HOME = "198.51.100.66", "203.0.113.10"


@pytest.fixture
def moderatrice(db):
    return UserFactory(username="moderatrice", moderator=True)


def test_finding_1_five_wrong_passwords_from_one_address_do_not_lock_the_moderator_out(moderatrice):
    site, api = reverse("login"), "/api/v1/auth/token/"
    # The moderator signed in before from home; the attacker, elsewhere, tries passwords on the site
    # and on the API until locked out.
    assert Client(REMOTE_ADDR=MODERATOR_HOME).post(site, {"username": "moderatrice", "password": PASSWORD}) \
        .status_code == 302
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        attacker.post(site, {"username": "moderatrice", "password": "mauvais"})
    attacker_api = APIClient(REMOTE_ADDR=ATTACKER)
    locked = attacker_api.post(api, {"username": "moderatrice", "password": "mauvais"}, format="json")
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 900
    assert attacker.post(site, {"username": "moderatrice", "password": PASSWORD}).status_code == 429
    # The real moderator, right password, from home: signed in on the site and given a token.
    home = Client(REMOTE_ADDR=MODERATOR_HOME)
    assert home.post(site, {"username": "moderatrice", "password": PASSWORD}).status_code == 302
    token = APIClient(REMOTE_ADDR=MODERATOR_HOME).post(api, {"username": "moderatrice", "password": PASSWORD},
                                                       format="json")
    assert token.status_code == 201


def signup_data(username, email):
    return {"username": username, "email": email, "password1": "Une-phrase-longue-42",
            "password2": "Une-phrase-longue-42", "website": "",
            "started": signing.dumps({"nonce": secrets.token_urlsafe(8)}, salt=SIGNUP_SALT)}


def test_finding_2_six_sign_ups_with_one_address_send_it_one_e_mail_and_sign_ups_are_limited(
        settings, signup_timer_off, django_capture_on_commit_callbacks):
    settings.SIGNUPS_PER_CLIENT_PER_HOUR = 5
    for number in range(3):
        UserFactory(username=f"titulaire{number}", email="cible@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [Client(REMOTE_ADDR=ATTACKER).post(reverse("lexique:signup"),
                                                     signup_data(f"canon{number}", "cible@example.org")).status_code
                   for number in range(6)]
    # Before: 21 e-mails to the address. Now one, and the sixth account is refused.
    assert answers == [302] * 5 + [429]
    assert [message.to for message in mail.outbox] == [["cible@example.org"]]
    # The accounts made cannot act until the address's owner confirms one of them.
    canon = get_user_model().objects.get(username="canon0")
    with pytest.raises(services.PermissionDenied):
        services.propose_term(author=canon, content=content(headword_fr="canon"))


def test_finding_3_followers_are_not_flooded_and_a_phishing_link_is_not_a_link(django_capture_on_commit_callbacks):
    term = publish_term()
    followers = UserFactory.create_batch(2)
    for person in followers:
        services.follow_term(term=term, user=person)
    writer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            services.comment_on_term(term=term, author=writer,
                                     body=f"Reconnectez-vous : https://lexique-securite.example/{number}")
    # Before: 6 e-mails to 2 followers, each with a live link. Now one each, the address written as text.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in followers)
    for message in mail.outbox:
        assert "https://lexique-securite" not in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def custom_book(client, title):
    # A title no earlier run stored, so that each request builds.
    response = client.get(f"/export/lexique-fr.epub?titre={title}-{secrets.token_hex(4)}", REMOTE_ADDR=ATTACKER)
    if response.streaming:
        b"".join(response.streaming_content)  # read to its end: the test client then closes the file
    return response.status_code


def test_finding_4_a_throw_away_account_does_not_renew_a_spent_address(client, settings):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 1
    publish_term()
    assert custom_book(client, "Un") == 200
    assert custom_book(client, "Deux") == 429
    client.force_login(UserFactory())
    assert custom_book(client, "Trois") == 429


def test_finding_5_an_edition_comparison_is_computed_once_per_pair(client, moderator):
    terms = [publish_term(moderator=moderator, headword_fr=f"terme {number}",
                          definition_fr="Une définition assez longue " * 20) for number in range(3)]
    publish_edition(number="2026.1", by=moderator)
    for term in terms:
        base = term.current_revision
        edit = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                     content={**base.content(), "definition_fr": "Une autre définition " * 20})
        services.approve(edit, by=moderator)
    publish_edition(number="2026.2", by=moderator)
    url = "/editions/comparer/?de=2026.1&a=2026.2"
    with patch("lexique.core.diff.word_diff", wraps=diff.word_diff) as diffs:
        first = client.get(url)
        computed = diffs.call_count
        again = Client().get(url)
        assert diffs.call_count == computed > 0  # the second reader costs a cache read, no diff
    assert first.status_code == again.status_code == 200
    assert first.content == again.content


def test_finding_6_the_api_schema_is_generated_once_per_process(client):
    SchemaView._generated.clear()
    with patch.object(SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema) as built:
        first = client.get("/api/v1/schema/")
        second = client.get("/api/v1/schema/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert built.call_count == 1


def test_finding_6_the_reset_e_mail_leaves_after_commit_through_the_one_way_out(
        contributor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = Client().post(reverse("password_reset"), {"email": contributor.email})
    assert answer.status_code == 302
    # Nothing went during the request's work: the message waits for the commit, in `notifications.send`.
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [[contributor.email]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_finding_5_a_page_of_comparison_has_one_diff_budget_and_a_cut_page_is_not_kept(client, moderator,
                                                                                      monkeypatch):
    term = publish_term(moderator=moderator, definition_fr="un deux trois quatre")
    publish_edition(number="2026.1", by=moderator)
    base = term.current_revision
    services.approve(services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                           content={**base.content(), "definition_fr": "un deux TROIS quatre"}),
                     by=moderator)
    publish_edition(number="2026.2", by=moderator)
    monkeypatch.setattr(diff, "PAGE_DIFF_BUDGET_SECONDS", 0)
    url = "/editions/comparer/?de=2026.1&a=2026.2"
    with patch("lexique.core.diff._coarse", wraps=diff._coarse) as coarse:
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    # Both requests diffed within the (spent) budget, coarsely; neither kept a cut page for the next reader.
    assert coarse.call_count >= 2
    monkeypatch.setattr(diff, "PAGE_DIFF_BUDGET_SECONDS", 0.5)
    page = client.get(url).content.decode()
    assert "TROIS" in page
