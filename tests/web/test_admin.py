"""The admin: every model listed, revisions read-only, translation tabs served locally."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from lexique import services
from lexique.models import Revision, Term
from tests.support.factories import content, publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, moderator):
    moderator.is_staff = moderator.is_superuser = True
    moderator.save()
    client.force_login(moderator)
    return client


def test_every_model_has_an_admin_page(admin_client):
    publish_term()
    for model in ("term", "revision", "domain", "publicationevent", "moderationlogentry", "lexiconstate"):
        assert admin_client.get(reverse(f"admin:lexique_{model}_changelist")).status_code == 200


def test_a_revision_is_shown_read_only(admin_client):
    revision = publish_term().current_revision
    page = admin_client.get(reverse("admin:lexique_revision_change", args=[revision.pk])).content.decode()
    assert 'name="headword_fr"' not in page and "métadonnées" in page


def test_translation_tabs_come_from_local_files(admin_client):
    page = admin_client.get(reverse("admin:lexique_domain_add")).content.decode()
    assert 'name="name_fr"' in page and 'name="name_en"' in page
    assert "/static/jquery-ui/jquery-ui.min.js" in page
    assert "//ajax.googleapis.com" not in page and "//code.jquery.com" not in page


def test_the_admin_approves_through_the_workflow(admin_client, contributor):
    revision = services.propose_term(author=contributor, content=content())
    response = admin_client.post(reverse("admin:lexique_revision_changelist"),
                                 {"action": "approve_revisions", "_selected_action": [revision.pk]})
    assert response.status_code == 302
    assert Term.objects.published().get().current_revision == revision


def test_a_staff_member_without_the_moderation_permission_cannot_approve(client, contributor):
    staff = get_user_model().objects.create_user("equipe", "equipe@example.org", "x", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_revision", "change_revision"]))
    revision = services.propose_term(author=contributor, content=content())
    client.force_login(staff)
    client.post(reverse("admin:lexique_revision_changelist"),
                {"action": "approve_revisions", "_selected_action": [revision.pk]})
    assert Revision.objects.get().state == "pending"
