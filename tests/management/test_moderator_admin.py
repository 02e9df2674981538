"""The admin opens for moderators: made by seed_demo and by the grant_moderator command."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_moderator_opens_the_admin_and_its_lexicon_pages(client):
    call_command("seed_demo", "--i-know-this-is-production", stdout=io.StringIO())
    assert client.login(username="moderatrice", password="demo-moderation")
    assert client.get("/admin/").status_code == 200
    for page in ("revision", "term", "domain", "moderationlogentry"):
        assert client.get(f"/admin/lexique/{page}/").status_code == 200, page


def test_the_demo_contributor_does_not_open_the_admin(client):
    call_command("seed_demo", "--i-know-this-is-production", stdout=io.StringIO())
    assert client.login(username="contributeur", password="demo-contribution")
    assert client.get("/admin/").status_code == 302


def test_grant_moderator_opens_moderation_and_the_admin_and_revoke_closes_them(client):
    user = UserFactory(username="aline")
    client.force_login(user)
    assert client.get("/moderation/").status_code == 403
    call_command("grant_moderator", "aline", stdout=io.StringIO())
    assert client.get("/moderation/").status_code == 200
    assert client.get("/admin/lexique/revision/").status_code == 200
    call_command("grant_moderator", "aline", "--revoke", stdout=io.StringIO())
    user = get_user_model().objects.get(username="aline")
    assert not user.is_staff and client.get("/moderation/").status_code == 403


def test_grant_moderator_refuses_an_unknown_account():
    with pytest.raises(CommandError, match="personne"):
        call_command("grant_moderator", "personne", stdout=io.StringIO())
