"""Updating a stale proposal onto the published version, in one step, by its author."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lexique.models import Revision, Term
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.selectors import is_stale
from lexique.services.errors import PermissionDenied, ValidationError, WorkflowError
from lexique.services.merge import COMBINED, MINE, THEIRS, merge_proposal
from lexique.services.workflow import _replace_proposal, _require_author, lock_open_proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import User



def can_rebase(revision: Revision, *, term: Term | None = None) -> bool:
    """Whether a proposal can be updated onto the published version: it is still open, its term is
    published, and that published version is no longer the one it started from.

    `term` is the revision's term when the caller holds it (locked, in `rebase`).
    """
    term = term if term is not None else revision.term
    return (revision.state in OPEN_PROPOSAL_STATES and term.status == Term.Status.PUBLISHED
            and is_stale(revision, term=term))


@transaction.atomic
def rebase(*, revision: Revision, author: User, choices: dict[str, str] | None = None,
           combined: dict[str, str] | None = None) -> Revision:
    """A new version of the proposal that starts from the published version: what was published
    since is kept, the author's changes are applied on it, field by field.

    Fields both sides changed need the author's choice in `choices` ({field: 'mine' | 'theirs' | 'combined'});
    without one for each, nothing is written. A text combined is the one the author wrote in `combined`
    ({field: text}), checked as any proposal's; a list combined holds both lists' items. The proposal goes
    (back) to the moderators.
    """
    _require_author(author)
    if revision.author_id != author.pk:
        raise PermissionDenied(_("Seul l'auteur d'une proposition peut la mettre à jour."))
    term, revision = lock_open_proposal(revision)
    if not can_rebase(revision, term=term):
        raise WorkflowError(_("Cette proposition part déjà de la version publiée."))
    choices = choices or {}
    merge = merge_proposal(revision, current=term.current_revision)
    missing = {
        item.name: [_("Choisissez la version à garder pour ce champ.")]
        for item in merge.conflicts if choices.get(item.name) not in (MINE, THEIRS, COMBINED)
    }
    missing.update({
        item.name: [_("Écrivez le texte qui combine les deux versions, ou choisissez l'une d'elles.")]
        for item in merge.conflicts
        if choices.get(item.name) == COMBINED and not item.is_list and not (combined or {}).get(item.name, "").strip()
    })
    if missing:
        raise ValidationError(missing)
    current = term.current_revision
    assert current is not None  # a published term has a published revision
    summary = revision.summary or _("Mise à jour sur la version %(version)s") % {"version": current.version}
    return _replace_proposal(revision=revision, author=author, content=merge.content(choices, combined),
                             summary=summary, state=revision.state, wrong_state="", base_revision=current)
