"""Backups carry discussions, follows and version numbers, and restore them as they were."""
import pytest

from lexique import services
from lexique.models import Comment, Revision, TermFollow
from lexique.services import notifications
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import empty_database, export, restore

pytestmark = pytest.mark.django_db(transaction=True)


def test_comments_hidden_or_not_follows_and_versions_survive_a_backup_and_restore(tmp_path):
    with notifications.silenced():
        moderator, author = UserFactory(moderator=True), UserFactory()
        term = publish_term(moderator=moderator)
        proposal = services.propose_edit(term=term, author=author, base_revision=term.current_revision,
                                         content={**term.current_revision.content(), "notes_fr": "Note."})
        services.comment_on_proposal(revision=proposal, author=author, body="Une question.")
        services.approve(proposal, by=moderator)
        hidden = services.comment_on_term(term=term, author=author, body="Hors sujet.")
        services.hide_comment(hidden, by=moderator, reason="Hors sujet")
    before = (list(Comment.objects.values_list("body", "hidden_reason", "proposal_id")),
              list(TermFollow.objects.values_list("user_id", "term_id")),
              list(Revision.objects.order_by("pk").values_list("pk", "version")))
    backup = export()
    empty_database()
    restore(tmp_path, backup)
    after = (list(Comment.objects.values_list("body", "hidden_reason", "proposal_id")),
             list(TermFollow.objects.values_list("user_id", "term_id")),
             list(Revision.objects.order_by("pk").values_list("pk", "version")))
    assert after == before and len(after[0]) == 2 and [v for _pk, v in after[2]] == [1, 2]
    assert export() == backup
