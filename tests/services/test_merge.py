"""Conflicts resolved: three-way merge field by field, approval of merged edits, rebasing a stale proposal."""
import pytest

from lexique import services
from lexique.models import Revision
from lexique.services.merge import three_way
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db


def propose_edit(term, author, base=None, **changes):
    base = base or term.current_revision
    return services.propose_edit(term=term, author=author, base_revision=base,
                                 content={**base.content(), **changes}, summary="Précision")


def test_a_field_changed_on_one_side_only_takes_that_side():
    merge = three_way({"a": "1", "b": "1"}, {"a": "2", "b": "1"}, {"a": "1", "b": "3"})
    assert merge.clean and merge.content() == {"a": "2", "b": "3"}


def test_a_field_changed_on_both_sides_the_same_way_is_no_conflict():
    merge = three_way({"a": "1"}, {"a": "2"}, {"a": "2"})
    assert merge.clean and merge.content() == {"a": "2"}


def test_a_field_changed_on_both_sides_differently_is_a_conflict_settled_by_a_choice():
    merge = three_way({"a": "1", "l": []}, {"a": "2", "l": ["x"]}, {"a": "3", "l": []})
    assert [item.name for item in merge.conflicts] == ["a"]
    assert merge.content() == {"a": "2", "l": ["x"]}
    assert merge.content({"a": "theirs"}) == {"a": "3", "l": ["x"]}


def test_approving_an_edit_of_another_field_of_the_same_version_keeps_both_edits(contributor, moderator):
    term = publish_term(moderator=moderator)
    base = term.current_revision
    notes = propose_edit(term, contributor, notes_fr="Une note utile.")
    definition = propose_edit(term, UserFactory(), base=base, definition_fr="Une meilleure définition.")
    services.approve(notes, by=moderator)

    published = services.approve(definition, by=moderator)  # no confirmation needed: nothing is lost

    term.refresh_from_db()
    assert (term.notes_fr, term.definition_fr) == ("Une note utile.", "Une meilleure définition.")
    assert published.replaces == definition and published.base_revision == notes
    definition.refresh_from_db()
    assert definition.state == Revision.State.SUPERSEDED


def test_overlapping_edits_are_still_a_conflict_and_confirmation_keeps_the_other_fields(contributor, moderator):
    term = publish_term(moderator=moderator)
    base = term.current_revision
    services.approve(propose_edit(term, contributor, definition_fr="Première.", notes_fr="Note."), by=moderator)
    second = propose_edit(term, UserFactory(), base=base, definition_fr="Seconde.")
    with pytest.raises(services.ConflictError):
        services.approve(second, by=moderator)
    services.approve(second, by=moderator, confirm_stale=True)
    term.refresh_from_db()
    assert (term.definition_fr, term.notes_fr) == ("Seconde.", "Note.")


def test_published_versions_are_numbered_without_gaps(contributor, moderator):
    term = publish_term(moderator=moderator)
    services.reject(propose_edit(term, contributor, notes_fr="Non."), by=moderator, reason="Hors sujet")
    services.withdraw(revision=propose_edit(term, contributor, notes_fr="Retirée."), author=contributor)
    services.approve(propose_edit(term, contributor, notes_fr="Oui."), by=moderator)
    services.revert(term, to=term.current_revision, by=moderator, reason="Retour")
    versions = list(Revision.objects.approved().filter(term=term).order_by("version").values_list("version", flat=True))
    assert versions == [1, 2, 3]
    assert term.revisions.count() == 5  # the refused and withdrawn proposals have no version


def test_a_new_terms_first_version_is_one(contributor, moderator):
    revision = services.propose_term(author=contributor, content={
        "headword_fr": "billetterie", "definition_fr": "Vente de billets."})
    services.request_changes(revision, by=moderator, comment="Précisez.")
    second = services.resubmit(revision=revision, author=contributor, content={
        "headword_fr": "billetterie", "definition_fr": "Vente de billets en ligne."})
    services.approve(second, by=moderator)
    second.refresh_from_db()
    assert (second.number, second.version) == (2, 1)


def test_rebasing_a_stale_proposal_applies_it_on_the_published_version(contributor, moderator):
    term = publish_term(moderator=moderator)
    base = term.current_revision
    mine = propose_edit(term, contributor, notes_fr="Ma note.")
    services.approve(propose_edit(term, UserFactory(), base=base, definition_fr="Publiée depuis."), by=moderator)
    term.refresh_from_db()

    new = services.rebase(revision=mine, author=contributor)

    assert new.base_revision == term.current_revision and new.state == Revision.State.PENDING
    assert (new.definition_fr, new.notes_fr) == ("Publiée depuis.", "Ma note.")
    mine.refresh_from_db()
    assert mine.state == Revision.State.SUPERSEDED
    services.approve(new, by=moderator)  # no longer stale: no confirmation


def test_rebasing_with_an_overlap_needs_a_choice_and_writes_nothing_without_it(contributor, moderator):
    term = publish_term(moderator=moderator)
    base = term.current_revision
    mine = propose_edit(term, contributor, definition_fr="La mienne.")
    services.approve(propose_edit(term, UserFactory(), base=base, definition_fr="La leur."), by=moderator)
    count = term.revisions.count()
    with pytest.raises(services.ValidationError) as error:
        services.rebase(revision=mine, author=contributor)
    assert "definition_fr" in error.value.message_dict and term.revisions.count() == count
    new = services.rebase(revision=mine, author=contributor, choices={"definition_fr": "theirs"})
    assert new.definition_fr == "La leur."


def test_only_the_author_rebases_and_only_a_stale_proposal(contributor, moderator):
    term = publish_term(moderator=moderator)
    mine = propose_edit(term, contributor, notes_fr="Ma note.")
    with pytest.raises(services.WorkflowError):
        services.rebase(revision=mine, author=contributor)
    services.approve(propose_edit(term, UserFactory(), definition_fr="Autre."), by=moderator)
    with pytest.raises(services.PermissionDenied):
        services.rebase(revision=mine, author=UserFactory())


def test_a_stale_proposal_waiting_for_changes_is_rebased_back_to_the_moderators(contributor, moderator):
    term = publish_term(moderator=moderator)
    base = term.current_revision
    mine = propose_edit(term, contributor, notes_fr="Ma note.")
    services.request_changes(mine, by=moderator, comment="Ajoutez une source.")
    services.approve(propose_edit(term, UserFactory(), base=base, definition_fr="Publiée."), by=moderator)
    new = services.rebase(revision=mine, author=contributor)
    assert new.state == Revision.State.PENDING and new.replaces == mine
