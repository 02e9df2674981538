"""Every write of the lexicon: propose, resubmit, approve, reject, request changes, revert, retire.

Web pages, the API, the admin and the commands all call these, so the rules hold whoever calls.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lexique.core.content import LANGUAGES, MARKDOWN_FIELDS
from lexique.core.inputs import clean_text
from lexique.core.names import clean_name, distinct_slug, is_deceptive, same_entry, term_slug
from lexique.core.text import render_markdown
from lexique.models import LexiconState, ModerationLogEntry, PublicationEvent, Revision, Term
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.platform.bulk import insert_rows, next_ids
from lexique.publishing.signals import published_set_changed
from lexique.search import suggestions
from lexique.selectors import is_stale
from lexique.services.accounts import require_confirmed_address
from lexique.services.content import clean_content, clean_summary, definition_missing, publishes_without_definition
from lexique.services.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from lexique.services.merge import FieldMerge, Merge, merge_proposal
from lexique.services.notifications import notify_author_of_review, notify_of_publication

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What a proposal holds: the content fields, plus domain and related-term slugs.
Content = dict[str, Any]

MODERATE_PERMISSION = "lexique.moderate"
Log = ModerationLogEntry.Action


def can_moderate(user: Any) -> bool:
    return bool(user and user.is_active and user.has_perm(MODERATE_PERMISSION))


def _require_moderator(user: Any, action: str) -> None:
    if not can_moderate(user):
        raise PermissionDenied(_("Seuls les modérateurs peuvent %(action)s.") % {"action": action})


def _require_author(user: Any) -> None:
    if not user or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Il faut un compte actif pour proposer un terme."))
    require_confirmed_address(user)


def _revision_row(*, term: Term, number: int, author: User, content: Content, summary: str,
                  state: str = Revision.State.PENDING, **extra: Any) -> Revision:
    """Revision `number` of `term`, not yet written."""
    fields = {name: value for name, value in content.items() if name not in ("domains", "related")}
    return Revision(
        term=term,
        number=number,
        author=author,
        summary=clean_summary(summary),
        domain_slugs=content.get("domains", []),
        related_slugs=content.get("related", []),
        state=state,
        **fields,
        **extra,
    )


def _new_revision(*, term: Term, author: User, content: Content, summary: str, state: str = Revision.State.PENDING,
                  **extra: Any) -> Revision:
    """Write one revision of `term`; the caller holds the lock on the term row."""
    number = (term.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    revision = _revision_row(term=term, number=number, author=author, content=content, summary=summary, state=state,
                             **extra)
    revision.save(force_insert=True)
    return revision


def _log(*, actor: User, action: str, term: Term, revision: Revision | None = None, comment: str = "") -> None:
    ModerationLogEntry.objects.create(actor=actor, action=action, term=term, revision=revision, comment=comment)


# A draft whose every proposal was refused or replaced holds its headword for nobody: open ones and an
# approved one hold it.
_HOLDING_STATES = (*OPEN_PROPOSAL_STATES, Revision.State.APPROVED)


def _available_slug(headword: str, *, reusable: Term | None = None) -> tuple[str, Term | None]:
    """The slug of a new headword, or a clear error when a live term already holds it.

    Returns (slug, draft): `draft` is an abandoned draft term with that slug, to be reused.
    """
    slug = term_slug(headword)
    holder = Term.objects.filter(slug=slug).first()
    if holder is not None and holder != reusable and not same_entry(holder.headword_fr or "", headword):
        # Another designation holds these letters ('Ache' for 'Aché'): this one gets a slug of its own.
        slug = distinct_slug(headword)
        holder = Term.objects.filter(slug=slug).first()
    if holder is None or holder == reusable:
        return slug, holder
    if holder.status == Term.Status.RETIRED:
        message = _("« %(headword)s » a été retiré du lexique ; un modérateur peut vous dire pourquoi.")
    elif holder.status == Term.Status.DRAFT and not holder.revisions.filter(state__in=_HOLDING_STATES).exists():
        return slug, holder
    elif holder.status == Term.Status.DRAFT:
        message = _("« %(headword)s » est déjà proposé et attend les modérateurs.")
    else:
        message = _("Le terme « %(headword)s » existe déjà : proposez plutôt une modification.")
    raise ValidationError({"headword_fr": [message % {"headword": headword}]})


def new_headword_errors(headword: str) -> list[str]:
    """Why a new term may not take this headword (another term holds it), or nothing.

    The check `propose_term` makes, for a form to say it with every other mistake at once.
    """
    try:
        _available_slug(headword)
    except ValidationError as error:
        return error.message_dict.get("headword_fr", error.messages)
    return []


def term_holding(headword: str) -> Term | None:
    """The term, in any state, that holds this headword (case aside) under its slug or its distinct one."""
    for slug in (term_slug(headword), distinct_slug(headword)):
        holder = Term.objects.filter(slug=slug).first()
        if holder is not None and same_entry(holder.headword_fr or "", headword):
            return holder
    return None


def _set_aside(draft: Term) -> None:
    """Free the slug of an abandoned draft for a proposal that takes its headword.

    The draft and its refused revisions stay; a headword's slug never holds '--', so the new
    one cannot be wanted by any headword (`term_slug` never makes one).
    """
    draft = Term.objects.select_for_update().get(pk=draft.pk)
    draft.slug = f"{draft.slug[:200]}--{draft.pk}"
    draft.save(update_fields=["slug"])


def _save_with_slug(term: Term, headword: str) -> None:
    """Save a draft under its new slug; losing a race for it is a clear error, not a server error."""
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:  # the same headword proposed at the same moment by someone else
        _available_slug(headword, reusable=term if term.pk else None)
        raise


def _set_draft_headword(term: Term, content: Content) -> None:
    # The per-language columns come from django-modeltranslation, which the type checker does not see.
    term.headword_fr, term.headword_en = content["headword_fr"], content["headword_en"]
    term.refresh_keys()


@transaction.atomic
def propose_term(*, author: User, content: Content, summary: str = "", definition_required: bool = True) -> Revision:
    """Propose a new term; it stays a draft, not public, until a moderator approves it.

    `definition_required=False`: an imported entry without a definition (see `definition_missing`)."""
    _require_author(author)
    content = clean_content(content, definition_required=definition_required)
    slug, draft = _available_slug(content["headword_fr"])
    # The draft may have been set aside meanwhile by a resubmission that took its headword.
    draft = Term.objects.select_for_update().filter(pk=draft.pk, slug=slug).first() if draft else None
    term = draft or Term(slug=slug)
    _set_draft_headword(term, content)
    _save_with_slug(term, content["headword_fr"])
    revision = _new_revision(term=term, author=author, content=content, summary=summary)
    _log(actor=author, action=Log.PROPOSED, term=term, revision=revision, comment=revision.summary)
    return revision


@transaction.atomic
def propose_edit(*, term: Term, author: User, base_revision: Revision | None, content: Content,
                 summary: str = "", definition_required: bool = True) -> Revision:
    """Propose a new version of a published term, starting from `base_revision`."""
    _require_author(author)
    term = Term.objects.select_for_update().get(pk=term.pk)
    _check_edit(term, base_revision)
    content = clean_content(content, term=term, definition_required=definition_required)
    revision = _new_revision(term=term, author=author, content=content, summary=summary, base_revision=base_revision)
    _log(actor=author, action=Log.PROPOSED, term=term, revision=revision, comment=revision.summary)
    return revision


def _check_edit(term: Term, base_revision: Revision | None) -> None:
    """Whether `term` (read under its lock) may receive a proposal starting from `base_revision`."""
    if term.status != Term.Status.PUBLISHED:
        raise WorkflowError(_("Seul un terme publié peut recevoir une proposition de modification."))
    if base_revision is None or base_revision.term_id != term.pk:
        raise ValidationError({"base_revision": [_("La révision de départ doit être une révision de ce terme.")]})
    if base_revision.state != Revision.State.APPROVED:
        raise ValidationError({"base_revision": [_("La révision de départ doit être une version approuvée.")]})


@transaction.atomic
def resubmit(*, revision: Revision, author: User, content: Content, summary: str = "") -> Revision:
    """After a moderator asked for changes, the author sends a new round of the proposal."""
    return _replace_proposal(revision=revision, author=author, content=content, summary=summary,
                             state=Revision.State.CHANGES_REQUESTED,
                             wrong_state=_("Seule une proposition à modifier peut être reprise."))


@transaction.atomic
def amend(*, revision: Revision, author: User, content: Content, summary: str = "") -> Revision:
    """The author improves their proposal before any moderator answered: a new version replaces it."""
    return _replace_proposal(revision=revision, author=author, content=content, summary=summary,
                             state=Revision.State.PENDING,
                             wrong_state=_("Seule une proposition en attente peut être modifiée."))


def _replace_proposal(*, revision: Revision, author: User, content: Content, summary: str, state: str,
                      wrong_state: str, base_revision: Revision | None = None) -> Revision:
    """A new version of `revision` by its author; `revision` (in `state`) is superseded. Caller is atomic."""
    _require_author(author)
    if revision.author_id != author.pk:
        raise PermissionDenied(_("Seul l'auteur d'une proposition peut la reprendre."))
    term, revision = lock_open_proposal(revision)
    if revision.state != state:
        raise WorkflowError(wrong_state)
    content = clean_content(content, term=term)
    if term.status == Term.Status.DRAFT:
        # A new term's headword may change while under review: its slug follows, if free. A refused
        # draft holds its headword for nobody, so it steps aside (two drafts cannot be merged).
        term.slug, abandoned = _available_slug(content["headword_fr"], reusable=term)
        if abandoned is not None and abandoned != term:
            _set_aside(abandoned)
        _set_draft_headword(term, content)
        _save_with_slug(term, content["headword_fr"])
    new = _new_revision(term=term, author=author, content=content, summary=summary or revision.summary,
                        base_revision=base_revision or revision.base_revision, replaces=revision)
    revision.state = Revision.State.SUPERSEDED
    revision.save()
    _log(actor=author, action=Log.RESUBMITTED, term=term, revision=new, comment=new.summary)
    return new


@transaction.atomic
def withdraw(*, revision: Revision, author: User) -> Revision:
    """The author takes back a proposal that no moderator has decided on; it stays in the history."""
    _require_author(author)
    if revision.author_id != author.pk:
        raise PermissionDenied(_("Seul l'auteur d'une proposition peut la retirer."))
    term, revision = lock_open_proposal(revision)
    revision.state = Revision.State.WITHDRAWN
    revision.save()
    _log(actor=author, action=Log.WITHDRAWN, term=term, revision=revision)
    return revision


def lock_open_proposal(revision: Revision) -> tuple[Term, Revision]:
    """The proposal's term and the proposal, read again under their row locks (the term's first, as every
    write takes them); WorkflowError if the proposal was closed meanwhile (approved, refused, withdrawn or
    replaced). Every action on a proposal starts here, so a closed one gets the same refusal from each.
    The caller is atomic.
    """
    term = Term.objects.select_for_update().get(pk=revision.term_id)
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.state not in OPEN_PROPOSAL_STATES:
        raise WorkflowError(
            _("Cette proposition est close (état : %(state)s).") % {"state": revision.get_state_display()}
        )
    return term, revision


def _locked_pending(revision: Revision) -> tuple[Term, Revision]:
    term, revision = lock_open_proposal(revision)
    if revision.state != Revision.State.PENDING:
        raise WorkflowError(
            _("Cette proposition n'est plus en attente (état : %(state)s).") % {"state": revision.get_state_display()}
        )
    return term, revision


def _reviewed(revision: Revision, *, state: str, by: User, comment: str) -> None:
    """Set the review of `revision` (not yet written)."""
    revision.state = state
    revision.reviewer = by
    revision.reviewed_at = timezone.now()
    revision.review_comment = comment


def _review(revision: Revision, *, state: str, by: User, comment: str) -> None:
    _reviewed(revision, state=state, by=by, comment=comment)
    revision.save()
    if revision.author_id != by.pk:
        transaction.on_commit(lambda: notify_author_of_review(revision))


class Outcome(StrEnum):
    """What approving a proposal would do."""

    PUBLISH = "publish"  # the proposal starts from the published version: it is published as it is
    MERGE = "merge"  # it starts from an older one and changes other fields: merged onto the published one
    CONFLICT = "conflict"  # both changed the same fields: publishing it needs the moderator's confirmation


@dataclass(frozen=True)
class ApprovalPlan:
    """What approving `revision` would do and change, read before anything is written (check, then execute).

    Review pages and the API show it; `approve` makes it again under the term's lock and carries it out.
    """

    revision: Revision
    current: Revision | None  # the version published now
    outcome: Outcome
    merge: Merge | None  # for a stale proposal: field by field, what each side did

    @property
    def stale(self) -> bool:
        """The proposal started from another version than the one published now."""
        return self.merge is not None

    @property
    def conflicts(self) -> list[FieldMerge]:
        return self.merge.conflicts if self.merge is not None else []

    @property
    def taken_from_published(self) -> list[FieldMerge]:
        """Fields the published version changed and the proposal did not: an approval keeps them."""
        return self.merge.taken_from_published if self.merge is not None else []

    def content(self) -> Content:
        """The content approving would publish: the proposal's, merged onto the published version if stale."""
        return self.merge.content() if self.merge is not None else self.revision.content()


def plan_approval(revision: Revision, *, term: Term | None = None) -> ApprovalPlan:
    """What approving `revision` would do now: publish it, merge it, or stop on a conflict.

    `term` is the revision's term when the caller holds it (locked, in `approve`).
    """
    term = term if term is not None else revision.term
    current = term.current_revision
    if not is_stale(revision, term=term):
        return ApprovalPlan(revision=revision, current=current, outcome=Outcome.PUBLISH, merge=None)
    merge = merge_proposal(revision, current=current)
    outcome = Outcome.CONFLICT if merge.conflicts else Outcome.MERGE
    return ApprovalPlan(revision=revision, current=current, outcome=outcome, merge=merge)


@transaction.atomic
def approve(revision: Revision, *, by: User, comment: str = "", confirm_stale: bool = False) -> Revision:
    """Publish `revision`: the term's published copy becomes its content.

    A proposal made on a version that is no longer the published one would undo what was
    approved since: it is refused as a conflict unless the moderator has seen the diff and confirms.
    The plan is made again here, with the term row locked, so that it is the published version of
    this moment that the proposal is merged onto.
    """
    _require_moderator(by, _("approuver une proposition"))
    _lock_published_set()
    term, revision = _locked_pending(revision)
    if term.status == Term.Status.RETIRED:
        raise WorkflowError(_("Ce terme est retiré : il ne peut plus recevoir de version."))
    _check_self_approval(revision, by=by)
    return _execute(plan_approval(revision, term=term), term=term, by=by, comment=comment,
                    confirm_stale=confirm_stale)


def _execute(plan: ApprovalPlan, *, term: Term, by: User, comment: str, confirm_stale: bool) -> Revision:
    """Carry out an approval's plan; the caller holds the lock on the term row and on the revision."""
    revision = plan.revision
    if plan.outcome == Outcome.CONFLICT and not confirm_stale:
        raise ConflictError(revision, plan.current)
    _check_definition(plan.content())
    if plan.content() != revision.content():
        revision = _merged(term, revision, plan.content())
    _review(revision, state=Revision.State.APPROVED, by=by, comment=(comment or "").strip())
    _publish(term, revision)
    _log(actor=by, action=Log.APPROVED, term=term, revision=revision, comment=revision.review_comment)
    return revision


def _check_definition(content: Content) -> None:
    if definition_missing(content) and not publishes_without_definition():
        raise WorkflowError(_("Définition manquante : ce lexique ne publie pas d'entrée sans définition "
                              "(réglage LEXIQUE_MISSING_DEFINITION). Complétez la proposition avant de l'approuver."))


def _merged(term: Term, revision: Revision, content: Content) -> Revision:
    """The proposal merged onto the published version, as a new revision that replaces it.

    What was published since and the proposal left alone is kept instead of silently undone;
    the proposal itself stays, superseded, so that the history shows both.
    """
    merged = _new_revision(term=term, author=revision.author, content=content, summary=revision.summary,
                           base_revision=term.current_revision, replaces=revision)
    revision.state = Revision.State.SUPERSEDED
    revision.save()
    return merged


def is_self_approval(revision: Revision, *, by: Any) -> bool:
    return revision.author_id is not None and revision.author_id == getattr(by, "pk", None)


def _check_self_approval(revision: Revision, *, by: User) -> None:
    """A moderator approving their own proposal: allowed and shown (the default), or refused.

    With LEXIQUE_SELF_APPROVAL = "allow_logged" the approval goes through; the moderation log and the
    term's history mark it as self-approved, since author and reviewer are the same person. Any other
    value refuses it, so that a second moderator always looks.
    """
    if is_self_approval(revision, by=by) and settings.LEXIQUE_SELF_APPROVAL != "allow_logged":
        raise WorkflowError(_("Vous ne pouvez pas approuver votre propre proposition : "
                              "un autre modérateur doit la relire."))


@transaction.atomic
def reject(revision: Revision, *, by: User, reason: str) -> Revision:
    _require_moderator(by, _("refuser une proposition"))
    return _answer(revision, by=by, comment=reason, state=Revision.State.REJECTED, action=Log.REJECTED,
                   field="reason", missing=_("Donnez la raison du refus : l'auteur la verra."))


@transaction.atomic
def request_changes(revision: Revision, *, by: User, comment: str) -> Revision:
    _require_moderator(by, _("demander des modifications"))
    return _answer(revision, by=by, comment=comment, state=Revision.State.CHANGES_REQUESTED,
                   action=Log.CHANGES_REQUESTED, field="comment", missing=_("Dites à l'auteur ce qu'il faut modifier."))


def _answer(revision: Revision, *, by: User, comment: str, state: str, action: str, field: str,
            missing: str) -> Revision:
    """Close a pending proposal without publishing it; the author always learns why."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({field: [missing]})
    term, revision = _locked_pending(revision)
    _review(revision, state=state, by=by, comment=comment)
    _log(actor=by, action=action, term=term, revision=revision, comment=comment)
    return revision


@transaction.atomic
def revert(term: Term, *, to: Revision, by: User, summary: str = "", reason: str = "") -> Revision:
    """Publish again the content of an earlier approved revision, as a new revision: history is kept.

    `reason`, when given, is kept in the new revision's summary, which the history shows.
    """
    _require_moderator(by, _("rétablir une version antérieure"))
    _lock_published_set()
    term = Term.objects.select_for_update().get(pk=term.pk)
    if to.term_id != term.pk or to.state != Revision.State.APPROVED:
        raise ValidationError({"to": [_("On ne peut rétablir qu'une version approuvée de ce terme.")]})
    if term.status != Term.Status.PUBLISHED:
        raise WorkflowError(_("Seul un terme publié peut être rétabli à une version antérieure."))
    if to.pk == term.current_revision_id:
        raise WorkflowError(_("Cette version est déjà la version publiée."))
    now = timezone.now()
    revision = _new_revision(
        term=term, author=by, content=to.content(),
        summary=clean_summary(summary, field="summary") if summary else clean_summary(
            _revert_summary(to, reason), field="reason"),
        state=Revision.State.APPROVED, base_revision=term.current_revision, reverted_from=to,
        reviewer=by, reviewed_at=now,
    )
    _publish(term, revision)
    _log(actor=by, action=Log.REVERTED, term=term, revision=revision, comment=revision.summary)
    return revision


def _revert_summary(to: Revision, reason: str) -> str:
    summary = _("Retour à la version %(number)d") % {"number": to.version}
    reason = " ".join((reason or "").split())
    return f"{summary} : {reason}" if reason else summary


@transaction.atomic
def retire(term: Term, *, by: User, reason: str) -> Term:
    """Withdraw a term from the published lexicon; its history stays, and its address says why."""
    _require_moderator(by, _("retirer un terme"))
    reason = _retirement_reason(reason)
    _lock_published_set()
    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.status != Term.Status.PUBLISHED:
        raise WorkflowError(_("Seul un terme publié peut être retiré."))
    term.status = Term.Status.RETIRED
    term.retired_at = timezone.now()
    term.save(update_fields=["status", "retired_at"])
    _record_publication(term, None, PublicationEvent.Kind.RETIRED)
    # Terms that listed it as related no longer show it: a mirror must hear that they changed.
    for other in Term.objects.published().filter(related=term).order_by("pk"):
        _record_publication(other, other.current_revision, PublicationEvent.Kind.UPDATED)
    _log(actor=by, action=Log.RETIRED, term=term, comment=reason)
    return term


RETIREMENT_REASON_MAX_LENGTH = 1000


def _retirement_reason(reason: str) -> str:
    """The reason on one line, as the retired term's page shows it; ValidationError when there is none."""
    try:
        reason = clean_text(" ".join((reason or "").split()), one_line=True)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    if not reason:
        raise ValidationError({"reason": [_("Donnez la raison du retrait : la page du terme la montrera.")]})
    if len(reason) > RETIREMENT_REASON_MAX_LENGTH:
        raise ValidationError({"reason": [_("%(count)d caractères au plus (il y en a %(actual)d).")
                                          % {"count": RETIREMENT_REASON_MAX_LENGTH, "actual": len(reason)}]})
    return reason


def _publish(term: Term, revision: Revision) -> None:
    """Copy `revision` into `term`'s published copy; the caller holds the lock on the term row."""
    first = term.first_published_at is None
    # Versions people cite count publications only: 1, 2, 3 … without gaps (the term row is locked).
    revision.version = (term.revisions.aggregate(last=Max("version"))["last"] or 0) + 1
    revision.save()
    _copy_published(term, revision)
    term.save()
    term.domains.set(term.domains.model.objects.filter(slug__in=revision.domain_slugs))
    term.related.set(Term.objects.published().filter(slug__in=revision.related_slugs).exclude(pk=term.pk))
    kind = PublicationEvent.Kind.PUBLISHED if first else PublicationEvent.Kind.UPDATED
    _record_publication(term, revision, kind)
    if not first:
        transaction.on_commit(lambda: notify_of_publication(revision))


def _copy_published(term: Term, revision: Revision) -> None:
    """Make `revision` the published copy of `term` (in memory): its content, its Markdown rendered, its keys."""
    for name in Term.content_field_names():
        setattr(term, name, getattr(revision, name))
    for field in MARKDOWN_FIELDS:
        for lang in LANGUAGES:
            setattr(term, f"{field}_html_{lang}", render_markdown(getattr(revision, f"{field}_{lang}")))
    now = timezone.now()
    term.status = Term.Status.PUBLISHED
    term.current_revision = revision
    term.first_published_at = term.first_published_at or now
    term.updated_at = now
    term.refresh_keys()


def _lock_published_set() -> LexiconState:
    """Lock the published set's state row, before any term row: writers that may publish queue here in
    one order. (The published figures' triggers lock it too, and a publication bumps it: taken later,
    after a term's row, two publishers could each wait for what the other holds.)"""
    LexiconState.current()  # make sure the row exists before locking it
    return LexiconState.objects.select_for_update().get(pk=1)


def _record_publication(term: Term, revision: Revision | None, kind: str) -> None:
    """Bump the published set's version and append the event, in the caller's transaction."""
    state = _lock_published_set()
    state.version += 1
    state.changed_at = timezone.now()
    state.save()
    PublicationEvent.objects.create(sequence=state.version, kind=kind, term=term, revision=revision)
    transaction.on_commit(lambda: published_set_changed.send(sender=Term, version=state.version))


# Batches ------------------------------------------------------------------------------------------------

@dataclass(eq=False)
class _Write:
    """One proposal of a batch, waiting for the next flush: its revision, and its term when it makes one."""

    term: Term
    revision: Revision
    new_term: bool
    # Set by `approve`: the publication is carried out (in memory) when the proposal's entry ends well.
    approved: bool = False
    publication: str = ""


class ProposalBatch:
    """Proposals by one moderator (an import's entries) and their approval, written in bulk with the outcome of
    calling `propose_term`, `propose_edit` and `approve` one after the other.

    Each call checks what those functions check, when it is made, against the lexicon as the proposals before it
    leave it (read once per chunk with `read`, then kept in memory), and raises the same errors. The calls of one
    entry are made inside `with batch.entry():`, which forgets them if one fails. Nothing is written before
    `flush`: terms, revisions, their domain and related links, the moderation log and the suggestion keys in a few
    statements, and one bump of the published set's version for all its publication events (one signal).
    What a batch cannot decide in memory (a headword whose slug is taken, a name that may be a lookalike, a
    proposal whose term was published again meanwhile) is written by those functions themselves, after what comes
    before it is flushed: the outcome is the same either way. The caller is atomic.
    """

    def __init__(self, *, author: User, summary: str) -> None:
        self.author = author
        self.summary = summary
        self._writes: list[_Write] = []  # entries done, not yet flushed
        self._entry: list[_Write] | None = None  # the current entry's
        self._savepoint: str | None = None  # the current entry's, once it writes for real
        self._checked: set[str] = set()
        self._domains: dict[str, int] | None = None
        self._domain_names: dict[str, str] | None = None
        self._forget()

    def _forget(self) -> None:
        """Drop what was read: the database is read again (after writes made outside the batch)."""
        self._held: dict[str, bool] = {}  # slug -> whether a term has it
        self._published: dict[str, bool] = {}  # slug -> whether a published term has it
        self._headwords: dict[str, str] = {}  # slug -> the French headword of the term that has it
        self._terms: dict[int, Term] = {}  # terms proposals are made for, read under their lock
        self._last: dict[int, tuple[int, int]] = {}  # term id -> its last revision number and version

    # What is read, once per chunk ---------------------------------------------------------------------

    def read(self, *, headwords: Iterable[str] = (), slugs: Iterable[str] = (), terms: Iterable[int] = (),
             approving: bool = False) -> None:
        """Read at once what the next entries will ask: the slugs their new `headwords` would take, the published
        terms they name (`slugs`), and the `terms` they change, locked (after the published set's state when
        `approving`, in the order every publisher takes them)."""
        if approving:
            _lock_published_set()
        wanted = {slug for headword in headwords for slug in (term_slug(headword), distinct_slug(headword))}
        self._ask_holders(wanted)
        self.published(slugs)
        self._lock([pk for pk in terms if pk not in self._terms])

    def _ask_holders(self, slugs: Iterable[str]) -> None:
        unknown = sorted({slug for slug in slugs if slug not in self._held})
        for start in range(0, len(unknown), _IN_BATCH):
            part = unknown[start:start + _IN_BATCH]
            found = set(Term.objects.filter(slug__in=part).values_list("slug", flat=True))
            self._held.update((slug, slug in found) for slug in part)

    def _lock(self, ids: list[int]) -> None:
        ids = sorted(set(ids))
        for start in range(0, len(ids), _IN_BATCH):
            part = ids[start:start + _IN_BATCH]
            locked = Term.objects.select_for_update(of=("self",)).select_related("current_revision")
            for term in locked.filter(pk__in=part).order_by("pk"):
                self._terms[term.pk] = term
            last = (Revision.objects.filter(term_id__in=part).order_by().values("term_id")
                    .annotate(number=Max("number"), version=Max("version")))
            self._last.update((row["term_id"], (row["number"] or 0, row["version"] or 0)) for row in last)

    # clean_content's questions (services.content.KnownNames) and labelled_content's (selectors.ContentNames) --

    def domains(self, slugs: Iterable[str]) -> set[str]:
        return {slug for slug in slugs if slug in self._domain_ids()}

    def published(self, slugs: Iterable[str]) -> set[str]:
        slugs = list(slugs)
        unknown = sorted({slug for slug in slugs if slug not in self._published})
        for start in range(0, len(unknown), _IN_BATCH):
            part = unknown[start:start + _IN_BATCH]
            found = set(Term.objects.published().filter(slug__in=part).values_list("slug", flat=True))
            self._published.update((slug, slug in found) for slug in part)
        return {slug for slug in slugs if self._published[slug]}

    def domain_names(self, slugs: Iterable[str]) -> dict[str, str]:
        if self._domain_names is None:
            self._domain_names = dict(self._domain_model().objects.values_list("slug", "name"))
        return {slug: self._domain_names[slug] for slug in slugs if slug in self._domain_names}

    def headwords(self, slugs: Iterable[str]) -> dict[str, str]:
        slugs = list(slugs)
        unknown = sorted({slug for slug in slugs if slug not in self._headwords})
        if unknown:
            self._headwords.update(Term.objects.filter(slug__in=unknown).values_list("slug", "headword_fr"))
        return {slug: self._headwords[slug] for slug in slugs if slug in self._headwords}

    @staticmethod
    def _domain_model() -> Any:
        return Term.domains.field.related_model

    def _domain_ids(self) -> dict[str, int]:
        if self._domains is None:
            self._domains = dict(self._domain_model().objects.values_list("slug", "pk"))
        return self._domains

    # The workflow's calls -------------------------------------------------------------------------------

    @contextmanager
    def entry(self) -> Iterator[None]:
        """The calls for one entry: all of them, or none if one raises."""
        self._entry, self._savepoint = [], None
        try:
            yield
        except BaseException:
            if self._savepoint is not None:
                transaction.savepoint_rollback(self._savepoint)
                self._forget()
            raise
        else:
            if self._savepoint is not None:
                transaction.savepoint_commit(self._savepoint)
            for write in self._entry:
                self._done(write)
            self._writes += self._entry
        finally:
            self._entry, self._savepoint = None, None

    def clean_content(self, content: Content, *, term: Term | None = None) -> Content:
        """What `propose_edit` would make of `content` for `term` (an import compares it with the published one)."""
        self._before_names(content)
        return clean_content(content, term=self._terms.get(term.pk, term) if term else None,
                             definition_required=False, known=self)

    def propose_term(self, *, content: Content, definition_required: bool = False) -> Revision:
        """`propose_term`, by the batch's author with its summary."""
        self._check_author()
        self._before_names(content)
        cleaned = clean_content(content, definition_required=definition_required, known=self)
        slug = term_slug(cleaned["headword_fr"])
        self._ask_holders([slug])
        if self._held[slug]:  # a draft to reuse, or another designation with these letters: as one by one
            return self._for_real(lambda: propose_term(author=self.author, content=content, summary=self.summary,
                                                       definition_required=definition_required))
        term = Term(slug=slug)
        _set_draft_headword(term, cleaned)
        revision = _revision_row(term=term, number=1, author=self.author, content=cleaned, summary=self.summary)
        self._stage(_Write(term=term, revision=revision, new_term=True))
        return revision

    def propose_edit(self, *, term: Term, base_revision: Revision | None, content: Content,
                     definition_required: bool = False) -> Revision:
        """`propose_edit`, by the batch's author with its summary."""
        self._check_author()
        self._lock([term.pk] if term.pk not in self._terms else [])
        locked = self._terms[term.pk]
        _check_edit(locked, base_revision)
        self._before_names(content)
        cleaned = clean_content(content, term=locked, definition_required=definition_required, known=self)
        number = self._last.get(locked.pk, (0, 0))[0] + 1
        revision = _revision_row(term=locked, number=number, author=self.author, content=cleaned,
                                 summary=self.summary, base_revision=base_revision)
        self._stage(_Write(term=locked, revision=revision, new_term=False))
        return revision

    def approve(self, revision: Revision) -> Revision:
        """`approve`, by the batch's author, of a proposal of this entry."""
        if "moderator" not in self._checked:
            _require_moderator(self.author, _("approuver une proposition"))
            self._checked.add("moderator")
        write = next((write for write in self._entry or [] if write.revision is revision), None)
        if write is None:
            return self._for_real(lambda: approve(revision, by=self.author))
        term = write.term
        if term.status == Term.Status.RETIRED:
            raise WorkflowError(_("Ce terme est retiré : il ne peut plus recevoir de version."))
        _check_self_approval(revision, by=self.author)
        if revision.base_revision_id != term.current_revision_id:
            # Published again since the proposal started: merged, or a conflict, as one by one.
            return self._for_real(lambda: approve(revision, by=self.author))
        _check_definition(revision.content())
        write.approved = True
        return revision

    def linked(self, term_id: int) -> tuple[Term, Revision] | None:
        """The published term `term_id` and its published revision (read under its lock), or None."""
        self._lock([term_id] if term_id not in self._terms else [])
        term = self._terms.get(term_id)
        if term is None or term.status != Term.Status.PUBLISHED or term.current_revision_id is None:
            return None
        current = term.current_revision
        assert current is not None
        return term, current

    def reset(self) -> None:
        """Forget the entries not yet written and what was read (after the caller rolled back a failed flush)."""
        self._writes = []
        self._domains = self._domain_names = None
        self._forget()

    def flush(self) -> None:
        """Write the entries done so far."""
        writes, self._writes = self._writes, []
        self._write(writes)

    # Inside ---------------------------------------------------------------------------------------------

    def _check_author(self) -> None:
        if "author" not in self._checked:
            _require_author(self.author)
            self._checked.add("author")

    def _before_names(self, content: Content) -> None:
        """A name that may be a lookalike is checked against the terms of the database: those before it first."""
        names = [content.get("headword_fr"), content.get("headword_en")]
        names += [item.get("text") for item in content.get("synonyms") or [] if isinstance(item, dict)]
        if self._writes and any(_deceptive(name) for name in names if isinstance(name, str)):
            self.flush()
            self._forget()

    def _stage(self, write: _Write) -> None:
        assert self._entry is not None, "a batch's calls are made inside `entry()`"
        self._entry.append(write)

    def _for_real(self, call: Callable[[], Revision]) -> Revision:
        """Make `call` as one by one: the entries before this one written, then this one's proposals."""
        assert self._entry is not None, "a batch's calls are made inside `entry()`"
        self.flush()
        if self._savepoint is None:
            self._savepoint = transaction.savepoint()
        staged, self._entry = self._entry, []
        self._write(staged)
        self._forget()
        return call()

    def _done(self, write: _Write) -> None:
        """An entry's proposal is settled: the batch's picture of the lexicon includes it."""
        term, revision = write.term, write.revision
        number, version = self._last.get(term.pk, (0, 0)) if term.pk else (0, 0)
        if write.approved:
            _reviewed(revision, state=Revision.State.APPROVED, by=self.author, comment="")
            revision.version = version + 1
            write.publication = (PublicationEvent.Kind.PUBLISHED if term.first_published_at is None
                                 else PublicationEvent.Kind.UPDATED)
            _copy_published(term, revision)
            self._published[term.slug] = True
        self._held[term.slug] = True
        self._headwords[term.slug] = term.headword_fr or ""
        if term.pk:
            self._last[term.pk] = (revision.number, revision.version or version)

    def _write(self, writes: list[_Write]) -> None:
        """Write settled proposals (and their approvals) in bulk, in their order."""
        if not writes:
            return
        published = [write for write in writes if write.approved]
        new = [write for write in writes if write.new_term]
        related = {slug for write in published for slug in write.revision.related_slugs}
        linkable = dict(Term.objects.published().filter(slug__in=sorted(related)).values_list("slug", "pk")) \
            if related else {}
        sequence = 0
        if published:
            state = _lock_published_set()
            sequence = state.version
            state.version += len(published)
            state.changed_at = timezone.now()
            state.save()  # on SQLite, the database is now this transaction's to write: ids can be taken
            for write, pk in zip(new, next_ids(Term, len(new)), strict=True):
                write.term.pk = pk
            for write, pk in zip(writes, next_ids(Revision, len(writes)), strict=True):
                write.revision.pk = pk
            for write in published:
                write.term.current_revision = write.revision
        Term.objects.bulk_create([write.term for write in new])
        for write in writes:
            write.revision.term = write.term
        Revision.objects.bulk_create([write.revision for write in writes])
        edited = list({write.term.pk: write.term for write in published if not write.new_term}.values())
        if edited:
            Term.objects.bulk_update(edited, _published_copy_fields(), batch_size=100)
        self._link(published, edited, linkable)
        now = timezone.now()
        insert_rows(ModerationLogEntry, ("actor_id", "action", "term_id", "revision_id", "comment", "created_at"), [
            row for write in writes for row in (
                (self.author.pk, Log.PROPOSED, write.term.pk, write.revision.pk, write.revision.summary, now),
                *([(self.author.pk, Log.APPROVED, write.term.pk, write.revision.pk, write.revision.review_comment,
                    now)] if write.approved else []),
            )
        ])
        insert_rows(PublicationEvent, ("sequence", "kind", "term_id", "revision_id", "created_at"), [
            (sequence + offset, write.publication, write.term.pk, write.revision.pk, now)
            for offset, write in enumerate(published, start=1)
        ])
        suggestions.refresh_many([write.term for write in published],
                                 new={write.term.pk for write in new})
        if published:
            version = sequence + len(published)
            transaction.on_commit(lambda: published_set_changed.send(sender=Term, version=version))
        for write in published:
            if write.publication == PublicationEvent.Kind.UPDATED:
                transaction.on_commit(functools.partial(notify_of_publication, write.revision))

    def _link(self, published: list[_Write], edited: list[Term], linkable: dict[str, int]) -> None:
        """The domains and related terms of each publication, as `_publish` sets them: a related term is one
        published before it (in the database, or earlier in the batch)."""
        domains, links = Term.domains.through, Term.related.through
        ids = [term.pk for term in edited]
        for start in range(0, len(ids), _IN_BATCH):
            domains.objects.filter(term_id__in=ids[start:start + _IN_BATCH]).delete()
            links.objects.filter(from_term_id__in=ids[start:start + _IN_BATCH]).delete()
        domain_rows: dict[int, list[int]] = {}
        link_rows: dict[int, list[int]] = {}
        earlier: dict[str, int] = {}
        for write in published:
            term, revision = write.term, write.revision
            domain_rows[term.pk] = list(dict.fromkeys(
                pk for slug in revision.domain_slugs for pk in [self._domain_ids().get(slug)] if pk is not None))
            link_rows[term.pk] = list(dict.fromkeys(
                pk for slug in revision.related_slugs for pk in [linkable.get(slug, earlier.get(slug))]
                if pk is not None and pk != term.pk))
            earlier[term.slug] = term.pk
        insert_rows(domains, ("term_id", "domain_id"),
                    [(term_id, pk) for term_id, pks in domain_rows.items() for pk in pks])
        insert_rows(links, ("from_term_id", "to_term_id"),
                    [(term_id, pk) for term_id, pks in link_rows.items() for pk in pks])


# Slugs and ids asked of the database at once, in lists of this many.
_IN_BATCH = 500


def _published_copy_fields() -> list[str]:
    """What publishing a revision changes on its term (`_copy_published`)."""
    return [field.name for field in Term._meta.concrete_fields
            if not field.primary_key and field.name not in ("slug", "created_at", "search_document", "retired_at")]


def _deceptive(name: str) -> bool:
    try:
        cleaned = clean_name(name)
    except ValidationError:
        return False
    return bool(cleaned) and is_deceptive(cleaned)
