"""Discussion: comments on proposals and terms, hiding them, following a term."""
from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lexique.core.names import clean_name
from lexique.models import Comment, ModerationLogEntry, Revision, Term, TermFollow
from lexique.selectors import earlier_rounds
from lexique.services.accounts import require_confirmed_address
from lexique.services.errors import PermissionDenied, RateLimited, ValidationError, WorkflowError
from lexique.services.notifications import notify_comment
from lexique.services.workflow import can_moderate

if TYPE_CHECKING:
    from django.contrib.auth.models import User

COMMENT_MAX_LENGTH = 3000
HIDE_REASON_MAX_LENGTH = 500
# Control characters other than line breaks and tabs draw nothing a reader could check.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RATE_WINDOW_SECONDS = 3600


def comments_per_hour() -> int:
    return settings.LEXIQUE_COMMENTS_PER_HOUR


def clean_body(body: Any) -> str:
    """The comment's text, NFC and stripped; ValidationError for empty, too long or hidden characters."""
    if not isinstance(body, str):
        raise ValidationError({"body": [_("Le commentaire doit être du texte.")]})
    if _CONTROL.search(body):
        raise ValidationError({"body": [_("Le commentaire contient un caractère de contrôle.")]})
    try:
        # The rules of names: no bidirectional controls or invisible characters that change what a reader sees.
        body = clean_name(body.replace("\r\n", "\n"))
    except ValidationError as error:
        raise ValidationError({"body": [_("Le commentaire contient un caractère invisible ou qui change le "
                                          "sens de l'écriture : retirez-le.")]}) from error
    if not body:
        raise ValidationError({"body": [_("Écrivez votre commentaire.")]})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError({"body": [_("%(count)d caractères au plus (il y en a %(actual)d).")
                                        % {"count": COMMENT_MAX_LENGTH, "actual": len(body)}]})
    return body


def _count_against_rate(user: User) -> None:
    """At most comments_per_hour() comments per account and hour, counted in the shared cache."""
    if can_moderate(user):
        return
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"lexique:comments:{user.pk}:{window}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    if count > comments_per_hour():
        raise RateLimited(_("Vous avez écrit beaucoup de commentaires en peu de temps : réessayez dans une heure."))


def _require_active(user: Any) -> None:
    if not user or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Il faut un compte actif pour écrire un commentaire."))


def can_discuss_proposal(user: Any, revision: Revision) -> bool:
    """The author of a proposal and the moderators; a revert is no one's proposal."""
    if not user or not user.is_authenticated or not user.is_active or revision.reverted_from_id:
        return False
    return can_moderate(user) or revision.author_id == user.pk


def _people(*user_ids: int | None) -> list[Any]:
    ids = {pk for pk in user_ids if pk}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@transaction.atomic
def comment_on_proposal(*, revision: Revision, author: User, body: str) -> Comment:
    """Add to a proposal's thread; its author and the moderators who took part hear of it."""
    _require_active(author)
    require_confirmed_address(author)
    revision = Revision.objects.get(pk=revision.pk)  # as reviewed now, not as the caller last read it
    if not can_discuss_proposal(author, revision):
        raise PermissionDenied(_("Seuls l'auteur de la proposition et les modérateurs en discutent."))
    body = clean_body(body)
    _count_against_rate(author)
    chain = [revision, *earlier_rounds(revision)]
    ids = [item.pk for item in chain]
    moderators = {item.reviewer_id for item in chain}
    moderators |= set(
        Comment.objects.filter(proposal_id__in=ids).exclude(author_id=revision.author_id)
        .values_list("author_id", flat=True)
    )
    comment = Comment.objects.create(term_id=revision.term_id, proposal=revision, author=author, body=body)
    recipients = [person for person in _people(revision.author_id, *moderators) if person.pk != author.pk]
    transaction.on_commit(lambda: notify_comment(comment, recipients))
    return comment


@transaction.atomic
def comment_on_term(*, term: Term, author: User, body: str) -> Comment:
    """Add to a term's discussion; whoever follows the term hears of it, and the writer follows it from now on."""
    _require_active(author)
    require_confirmed_address(author)
    if term.status != Term.Status.PUBLISHED:
        raise WorkflowError(_("Seul un terme publié a une discussion ouverte."))
    body = clean_body(body)
    _count_against_rate(author)
    comment = Comment.objects.create(term=term, author=author, body=body)
    follow_term(term=term, user=author)
    follower_ids = TermFollow.objects.filter(term=term).exclude(user=author).values_list("user_id", flat=True)
    recipients = _people(*follower_ids)
    transaction.on_commit(lambda: notify_comment(comment, recipients))
    return comment


@transaction.atomic
def hide_comment(comment: Comment, *, by: User, reason: str) -> Comment:
    """A moderator hides a comment; the reason goes to the moderation log. The comment itself stays."""
    if not can_moderate(by):
        raise PermissionDenied(_("Seuls les modérateurs peuvent masquer un commentaire."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Donnez la raison du masquage : elle reste dans le journal.")]})
    if len(reason) > HIDE_REASON_MAX_LENGTH:
        raise ValidationError({"reason": [_("%(count)d caractères au plus (il y en a %(actual)d).")
                                          % {"count": HIDE_REASON_MAX_LENGTH, "actual": len(reason)}]})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_hidden:
        raise WorkflowError(_("Ce commentaire est déjà masqué."))
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = timezone.now(), by, reason
    comment.save()
    ModerationLogEntry.objects.create(actor=by, action=ModerationLogEntry.Action.COMMENT_HIDDEN,
                                      term_id=comment.term_id, revision_id=comment.proposal_id, comment=reason)
    return comment


def follow_term(*, term: Term, user: User) -> TermFollow:
    """Hear about a term's new versions and discussion; following twice changes nothing."""
    _require_active(user)
    require_confirmed_address(user)
    if term.status != Term.Status.PUBLISHED:
        raise WorkflowError(_("Seul un terme publié peut être suivi."))
    try:
        with transaction.atomic():
            follow, _created = TermFollow.objects.get_or_create(term=term, user=user)
    except IntegrityError:  # followed at the same moment in another request
        follow = TermFollow.objects.get(term=term, user=user)
    return follow


def unfollow_term(*, term: Term, user: User) -> None:
    _require_active(user)
    TermFollow.objects.filter(term=term, user=user).delete()
