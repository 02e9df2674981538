"""E-mail nobody can turn into a weapon: a cap per person and term, a digest, links that are not links,
and a signed one-click unsubscribe in every message."""
from collections import Counter

import pytest
from django.core import mail
from django.test import Client

from lexique import services
from lexique.services import mail as outgoing
from lexique.services import notifications
from lexique.services.preferences import set_notices
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def term_with_two_followers():
    term = publish_term()
    followers = UserFactory.create_batch(2)
    for person in followers:
        services.follow_term(term=term, user=person)
    return term, followers


def test_a_follower_hears_of_a_term_at_most_once_an_hour(term_with_two_followers, django_capture_on_commit_callbacks):
    term, followers = term_with_two_followers
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            services.comment_on_term(term=term, author=UserFactory(), body=f"Remarque {number}")
    # Before: 6 e-mails to the 2 followers (and more to the writers, who follow the term once they wrote).
    received = Counter(message.to[0] for message in mail.outbox)
    assert all(received[person.email] == 1 for person in followers)
    assert set(received.values()) == {1}


def test_a_follower_who_chose_a_daily_digest_gets_one_e_mail_for_the_day(
        term_with_two_followers, django_capture_on_commit_callbacks):
    term, (daily, _other) = term_with_two_followers
    set_notices(daily, "daily")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            services.comment_on_term(term=term, author=UserFactory(), body=f"Remarque {number}")
    assert daily.email not in [message.to[0] for message in mail.outbox]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests() == 1
    assert [message.to for message in mail.outbox] == [[daily.email]]
    # One line per term and hour in the digest too: a flood of comments cannot grow it without end.
    assert mail.outbox[0].body.count(term.headword_fr) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests() == 0


def test_a_follower_who_chose_none_gets_nothing(term_with_two_followers, django_capture_on_commit_callbacks):
    term, (quiet, other) = term_with_two_followers
    set_notices(quiet, "off")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_on_term(term=term, author=UserFactory(), body="Remarque")
    assert [message.to for message in mail.outbox] == [[other.email]]


def test_a_link_in_a_comment_reaches_the_e_mail_as_plain_text(term_with_two_followers,
                                                              django_capture_on_commit_callbacks):
    term, _followers = term_with_two_followers
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_on_term(term=term, author=UserFactory(),
                                 body="Votre compte expire : https://lexique-connexion.example/login")
    body = mail.outbox[0].body
    assert "https://lexique-connexion.example" not in body
    assert "https[:]//lexique-connexion[.]example/login" in body


def test_every_e_mail_unsubscribes_in_one_signed_click(term_with_two_followers, django_capture_on_commit_callbacks):
    term, (person, _other) = term_with_two_followers
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_on_term(term=term, author=UserFactory(), body="Remarque")
    message = next(message for message in mail.outbox if message.to == [person.email])
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in message.body
    path = url.removeprefix("https://lexique.test")
    # Opening the link unsubscribes no one (a scanner opens links); the mail program's POST does, no CSRF token.
    assert Client().get(path).status_code == 200
    assert not outgoing.is_suppressed(person.email, outgoing.NOTICES)
    one_click = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click",
                                                      content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200
    mail.outbox.clear()
    other_term = publish_term(headword_fr="troisième")
    services.follow_term(term=other_term, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_on_term(term=other_term, author=UserFactory(), body="Encore")
    assert person.email not in [message.to[0] for message in mail.outbox]


def test_a_forged_unsubscribe_link_is_refused():
    token = outgoing.unsubscribe_token("quelquun@example.org", outgoing.NOTICES)
    assert Client().post(f"/comptes/desabonnement/{token[:-2]}xx/").status_code == 400


def test_an_unsubscribed_address_shows_none_on_the_account_page_until_its_owner_chooses_again(client):
    person = UserFactory()
    outgoing.unsubscribe(person.email, outgoing.NOTICES)
    client.force_login(person)
    page = client.get("/comptes/profil/").content.decode()
    assert 'value="off" checked' in page
    client.post("/comptes/profil/", {"notices": "each"})
    assert notifications.notice_choice(person) == "each"
