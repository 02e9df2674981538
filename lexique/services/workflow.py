"""Every write of the lexicon: propose, resubmit, approve, reject, request changes, revert, retire.

Web pages, the API, the admin and the commands all call these, so the rules hold whoever calls.
"""
from __future__ import annotations

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
from lexique.core.names import distinct_slug, same_entry, term_slug
from lexique.core.text import render_markdown
from lexique.models import LexiconState, ModerationLogEntry, PublicationEvent, Revision, Term
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.publishing.signals import published_set_changed
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


def _new_revision(*, term: Term, author: User, content: Content, summary: str, state: str = Revision.State.PENDING,
                  **extra: Any) -> Revision:
    """Write one revision of `term`; the caller holds the lock on the term row."""
    number = (term.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    fields = {name: value for name, value in content.items() if name not in ("domains", "related")}
    return Revision.objects.create(
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
    if term.status != Term.Status.PUBLISHED:
        raise WorkflowError(_("Seul un terme publié peut recevoir une proposition de modification."))
    if base_revision is None or base_revision.term_id != term.pk:
        raise ValidationError({"base_revision": [_("La révision de départ doit être une révision de ce terme.")]})
    if base_revision.state != Revision.State.APPROVED:
        raise ValidationError({"base_revision": [_("La révision de départ doit être une version approuvée.")]})
    content = clean_content(content, term=term, definition_required=definition_required)
    revision = _new_revision(term=term, author=author, content=content, summary=summary, base_revision=base_revision)
    _log(actor=author, action=Log.PROPOSED, term=term, revision=revision, comment=revision.summary)
    return revision


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


def _review(revision: Revision, *, state: str, by: User, comment: str) -> None:
    revision.state = state
    revision.reviewer = by
    revision.reviewed_at = timezone.now()
    revision.review_comment = comment
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
    if definition_missing(plan.content()) and not publishes_without_definition():
        raise WorkflowError(_("Définition manquante : ce lexique ne publie pas d'entrée sans définition "
                              "(réglage LEXIQUE_MISSING_DEFINITION). Complétez la proposition avant de l'approuver."))
    if plan.content() != revision.content():
        revision = _merged(term, revision, plan.content())
    _review(revision, state=Revision.State.APPROVED, by=by, comment=(comment or "").strip())
    _publish(term, revision)
    _log(actor=by, action=Log.APPROVED, term=term, revision=revision, comment=revision.review_comment)
    return revision


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
    term.save()
    term.domains.set(term.domains.model.objects.filter(slug__in=revision.domain_slugs))
    term.related.set(Term.objects.published().filter(slug__in=revision.related_slugs).exclude(pk=term.pk))
    kind = PublicationEvent.Kind.PUBLISHED if first else PublicationEvent.Kind.UPDATED
    _record_publication(term, revision, kind)
    if not first:
        transaction.on_commit(lambda: notify_of_publication(revision))


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
