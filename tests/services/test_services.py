"""The workflow rules: propose, approve, reject, request changes, resubmit, revert, retire."""
import pytest

from lexique import services
from lexique.models import ModerationLogEntry, PublicationEvent, Revision, Term
from tests.support.factories import DomainFactory, UserFactory, content, publish_term

pytestmark = pytest.mark.django_db


def propose_edit(term, author, **changes):
    base = term.current_revision
    return services.propose_edit(
        term=term, author=author, base_revision=base, content={**base.content(), **changes}, summary="Précision"
    )


def test_a_proposed_term_is_a_pending_draft_that_nobody_can_read(contributor):
    revision = services.propose_term(author=contributor, content=content())
    assert revision.state == Revision.State.PENDING
    assert revision.term.status == Term.Status.DRAFT
    assert not Term.objects.published().exists()


def test_approving_publishes_the_revision_content(contributor, moderator):
    revision = services.propose_term(author=contributor, content=content(examples_fr="Un exemple."))
    services.approve(revision, by=moderator, comment="Merci")
    term = Term.objects.published().get()
    assert term.current_revision == revision
    assert (term.headword_fr, term.headword_en, term.examples_fr) == ("métadonnées", "metadata", "Un exemple.")
    assert term.definition_html_fr == "<p>Données qui <em>décrivent</em> une œuvre.</p>"
    revision.refresh_from_db()
    assert (revision.state, revision.reviewer, revision.review_comment) == ("approved", moderator, "Merci")


def test_approving_records_a_publication_event_then_an_update_event(contributor, moderator):
    term = publish_term(author=contributor, moderator=moderator)
    services.approve(propose_edit(term, contributor, definition_fr="Mieux dit."), by=moderator)
    kinds = list(PublicationEvent.objects.filter(term=term).values_list("kind", flat=True))
    assert kinds == ["published", "updated"]


def test_a_contributor_cannot_approve_reject_revert_or_retire(contributor):
    term = publish_term()
    pending = propose_edit(term, contributor, definition_fr="Autre.")
    with pytest.raises(services.PermissionDenied):
        services.approve(pending, by=contributor)
    with pytest.raises(services.PermissionDenied):
        services.reject(pending, by=contributor, reason="Non")
    with pytest.raises(services.PermissionDenied):
        services.request_changes(pending, by=contributor, comment="Non")
    with pytest.raises(services.PermissionDenied):
        services.revert(term, to=term.current_revision, by=contributor)
    with pytest.raises(services.PermissionDenied):
        services.retire(term, by=contributor, reason="Doublon.")
    pending.refresh_from_db()
    assert pending.state == Revision.State.PENDING


def test_an_anonymous_or_inactive_user_cannot_propose():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.PermissionDenied):
        services.propose_term(author=AnonymousUser(), content=content())
    with pytest.raises(services.PermissionDenied):
        services.propose_term(author=UserFactory(is_active=False), content=content())
    assert not Term.objects.exists()


def test_approving_a_stale_proposal_is_a_conflict(contributor, moderator):
    term = publish_term(moderator=moderator)
    first = propose_edit(term, contributor, definition_fr="Première idée.")
    second = propose_edit(term, UserFactory(), definition_fr="Seconde idée.")
    services.approve(first, by=moderator)
    with pytest.raises(services.ConflictError) as conflict:
        services.approve(second, by=moderator)
    assert conflict.value.current == first
    term.refresh_from_db()
    assert term.definition_fr == "Première idée."
    second.refresh_from_db()
    assert second.state == Revision.State.PENDING


def test_a_moderator_who_confirms_may_approve_a_stale_proposal(contributor, moderator):
    term = publish_term(moderator=moderator)
    first = propose_edit(term, contributor, definition_fr="Première idée.")
    second = propose_edit(term, contributor, definition_fr="Seconde idée.")
    services.approve(first, by=moderator)
    services.approve(second, by=moderator, confirm_stale=True)
    term.refresh_from_db()
    assert term.definition_fr == "Seconde idée."


def test_approving_leaves_other_pending_proposals_pending(contributor, moderator):
    term = publish_term(moderator=moderator)
    first = propose_edit(term, contributor, definition_fr="Première idée.")
    second = propose_edit(term, contributor, definition_fr="Seconde idée.")
    services.approve(first, by=moderator)
    assert Revision.objects.get(pk=second.pk).state == Revision.State.PENDING


def test_a_proposal_can_be_reviewed_only_once(contributor, moderator):
    revision = services.propose_term(author=contributor, content=content())
    services.reject(revision, by=moderator, reason="Doublon de « données descriptives ».")
    with pytest.raises(services.WorkflowError):
        services.approve(revision, by=moderator)
    assert not Term.objects.published().exists()


def test_rejecting_needs_a_reason_and_keeps_it(contributor, moderator):
    revision = services.propose_term(author=contributor, content=content())
    with pytest.raises(services.ValidationError):
        services.reject(revision, by=moderator, reason="  ")
    services.reject(revision, by=moderator, reason="Hors du champ du lexique.")
    revision.refresh_from_db()
    assert (revision.state, revision.review_comment) == ("rejected", "Hors du champ du lexique.")
    assert ModerationLogEntry.objects.filter(action="rejected", actor=moderator).count() == 1


def test_requesting_changes_then_resubmitting_makes_a_new_pending_revision(contributor, moderator):
    revision = services.propose_term(author=contributor, content=content())
    with pytest.raises(services.ValidationError):
        services.request_changes(revision, by=moderator, comment="")
    services.request_changes(revision, by=moderator, comment="Ajoutez un exemple.")
    new = services.resubmit(revision=revision, author=contributor, content=content(examples_fr="Exemple."))
    revision.refresh_from_db()
    assert revision.state == Revision.State.SUPERSEDED
    assert (new.state, new.replaces, new.number) == ("pending", revision, 2)
    services.approve(new, by=moderator)
    assert Term.objects.published().get().examples_fr == "Exemple."


def test_only_the_author_may_resubmit_and_only_after_changes_were_requested(contributor, moderator):
    revision = services.propose_term(author=contributor, content=content())
    with pytest.raises(services.WorkflowError):
        services.resubmit(revision=revision, author=contributor, content=content())
    services.request_changes(revision, by=moderator, comment="Précisez.")
    with pytest.raises(services.PermissionDenied):
        services.resubmit(revision=revision, author=UserFactory(), content=content())
    assert Revision.objects.count() == 1


def test_reverting_appends_a_new_revision_with_the_old_content(contributor, moderator):
    term = publish_term(moderator=moderator)
    original = term.current_revision
    services.approve(propose_edit(term, contributor, definition_fr="Moins bien."), by=moderator)
    restored = services.revert(term, to=original, by=moderator)
    term.refresh_from_db()
    assert term.definition_fr == original.definition_fr
    assert (restored.number, restored.reverted_from, restored.state) == (3, original, "approved")
    assert list(term.revisions.values_list("number", flat=True)) == [1, 2, 3]


def test_reverting_to_the_published_revision_or_another_terms_revision_is_refused(moderator):
    term, other = publish_term(moderator=moderator), publish_term(moderator=moderator, headword_fr="numérisation")
    with pytest.raises(services.WorkflowError):
        services.revert(term, to=term.current_revision, by=moderator)
    with pytest.raises(services.ValidationError):
        services.revert(term, to=other.current_revision, by=moderator)
    assert term.revisions.count() == 1


def test_retiring_removes_a_term_from_the_published_set_but_keeps_its_history(moderator):
    term = publish_term(moderator=moderator)
    services.retire(term, by=moderator, reason="Remplacé")
    assert not Term.objects.published().exists()
    assert term.revisions.count() == 1
    assert PublicationEvent.objects.last().kind == "retired"
    with pytest.raises(services.WorkflowError):
        services.retire(term, by=moderator, reason="Doublon.")


def test_a_retired_term_takes_no_edit(contributor, moderator):
    term = publish_term(moderator=moderator)
    pending = propose_edit(term, contributor, definition_fr="Autre.")
    services.retire(term, by=moderator, reason="Doublon.")
    with pytest.raises(services.WorkflowError):
        services.approve(pending, by=moderator)
    with pytest.raises(services.WorkflowError):
        propose_edit(term, contributor, definition_fr="Encore.")


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"headword_fr": ""}, "headword_fr"),
        ({"headword_fr": "   "}, "headword_fr"),
        ({"headword_fr": "x" * 201}, "headword_fr"),
        ({"definition_fr": ""}, "definition_fr"),
        ({"domains": ["inexistant"]}, "domains"),
        ({"related": ["terme-fantome"]}, "related"),
        ({"sources": [{"title": "x", "url": "javascript:alert(1)"}]}, "sources"),
        ({"sources": "https://example.org"}, "sources"),
        ({"synonyms": [{"text": "donnée", "lang": "fr", "status": "obligatoire"}]}, "synonyms"),
        ({"synonyms": [{"text": "donnée", "lang": "de"}]}, "synonyms"),
        ({"headword_fr": 12}, "headword_fr"),
        ({"colour": "rouge"}, "__all__"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_writes_nothing(contributor, bad, field):
    with pytest.raises(services.ValidationError) as error:
        services.propose_term(author=contributor, content=content(**bad))
    assert field in error.value.message_dict
    assert error.value.message_dict[field][0]
    assert not Term.objects.exists() and not Revision.objects.exists()


def test_a_headword_at_the_length_limit_is_accepted(contributor):
    revision = services.propose_term(author=contributor, content=content(headword_fr="é" * 200))
    assert len(revision.headword_fr) == 200


def test_a_base_revision_of_another_term_is_refused(contributor, moderator):
    term, other = publish_term(moderator=moderator), publish_term(moderator=moderator, headword_fr="numérisation")
    with pytest.raises(services.ValidationError) as error:
        services.propose_edit(term=term, author=contributor, base_revision=other.current_revision, content=content())
    assert "base_revision" in error.value.message_dict
    assert term.revisions.count() == 1


def test_proposing_an_existing_headword_is_refused(contributor, moderator):
    publish_term(moderator=moderator)
    with pytest.raises(services.ValidationError) as error:
        services.propose_term(author=contributor, content=content(headword_fr="Métadonnées"))
    assert "existe déjà" in error.value.message_dict["headword_fr"][0]


def test_domains_and_related_terms_are_published_with_the_revision(contributor, moderator):
    DomainFactory(slug="conservation")
    other = publish_term(moderator=moderator, headword_fr="numérisation")
    term = publish_term(moderator=moderator, domains=["conservation"], related=[other.slug])
    assert list(term.domains.values_list("slug", flat=True)) == ["conservation"]
    assert list(term.related.all()) == [other]


def test_synonyms_are_kept_with_their_usage_status_preferred_first(contributor, moderator):
    term = publish_term(moderator=moderator, synonyms=[
        {"text": "data", "lang": "fr", "status": "not_recommended"},
        {"text": "données descriptives", "lang": "fr", "status": "preferred"},
    ])
    assert [s["status"] for s in term.synonyms] == ["preferred", "not_recommended"]


def test_markdown_is_rendered_safely_at_approval(contributor, moderator):
    term = publish_term(
        moderator=moderator,
        definition_fr='<script>alert(1)</script> [lien](javascript:alert(2)) <img src=x onerror=alert(3)> [ok](https://ex.org)',
    )
    html = term.definition_html_fr
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert '<a href="https://ex.org" rel="nofollow ugc noopener">ok</a>' in html


def test_retiring_a_term_announces_the_terms_that_listed_it_as_related(moderator):
    other = publish_term(moderator=moderator, headword_fr="numérisation")
    term = publish_term(moderator=moderator, related=[other.slug])
    services.retire(other, by=moderator, reason="Doublon.")
    last = list(PublicationEvent.objects.order_by("-sequence")[:2].values_list("kind", "term__slug"))
    assert last == [("updated", term.slug), ("retired", other.slug)]


def test_a_line_break_in_a_headword_or_synonym_is_refused(contributor):
    with pytest.raises(services.ValidationError) as error:
        services.propose_term(author=contributor, content=content(headword_fr="ligne un\nBcc: x@example.org"))
    assert "headword_fr" in error.value.message_dict
    with pytest.raises(services.ValidationError):
        services.propose_term(author=contributor, content=content(synonyms=[{"text": "a\x00b", "lang": "fr"}]))
    with pytest.raises(services.ValidationError):
        services.propose_term(author=contributor, content=content(definition_fr="nul \x00 ici"))
    assert not Revision.objects.exists()


def test_a_refused_new_term_does_not_hold_its_headword(contributor, moderator):
    refused = services.propose_term(author=contributor, content=content(headword_fr="Zorglub"))
    services.reject(refused, by=moderator, reason="Hors sujet")
    again = services.propose_term(author=UserFactory(), content=content(headword_fr="Zorglub"))
    assert (again.term_id, again.number, again.state) == (refused.term_id, 2, "pending")
    with pytest.raises(services.ValidationError) as error:
        services.propose_term(author=contributor, content=content(headword_fr="zorglub"))
    assert "attend les modérateurs" in error.value.message_dict["headword_fr"][0]


def test_a_resubmitted_new_term_keeps_headwords_unique_and_its_slug_follows(contributor, moderator):
    publish_term(moderator=moderator, headword_fr="numérisation")
    revision = services.propose_term(author=contributor, content=content(headword_fr="balado"))
    services.request_changes(revision, by=moderator, comment="Précisez")
    with pytest.raises(services.ValidationError):
        services.resubmit(revision=revision, author=contributor, content=content(headword_fr="Numérisation"))
    new = services.resubmit(revision=revision, author=contributor, content=content(headword_fr="baladodiffusion"))
    assert Term.objects.get(pk=new.term_id).slug == "baladodiffusion"
