"""Discussion: comments on a proposal or a term, and the people who follow a term."""
from typing import Any, NoReturn, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentImmutableError(Exception):
    """Raised when code tries to change what a comment says or to delete a comment."""


class CommentQuerySet(models.QuerySet["Comment"]):
    def delete(self) -> NoReturn:
        raise CommentImmutableError(_("Un commentaire n'est jamais supprimé : un modérateur peut le masquer."))

    def update(self, **kwargs: Any) -> int:
        frozen = set(kwargs) & set(Comment.FROZEN_FIELDS)
        if frozen:
            raise CommentImmutableError(_("Un commentaire ne change jamais (%(fields)s).")
                                        % {"fields": ", ".join(sorted(frozen))})
        return super().update(**kwargs)

    def visible(self) -> Self:
        return self.filter(hidden_at__isnull=True)


class Comment(models.Model):
    """One message of a thread, append-only: a moderator may hide it, with a reason kept in the log.

    A comment belongs to a term's discussion (`proposal` empty) or to one proposal's thread; a
    proposal's thread is read across its rounds (the versions it replaces), see selectors.
    """

    term = models.ForeignKey("lexique.Term", on_delete=models.PROTECT, related_name="comments",
                             verbose_name=_("terme"))
    proposal = models.ForeignKey("lexique.Revision", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="comments", verbose_name=_("proposition"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments",
                               verbose_name=_("auteur"))
    body = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True, db_index=True)
    # The moderation: the only part of a comment that changes after it is written.
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("masqué par"))
    hidden_reason = models.CharField(_("raison du masquage"), max_length=500, blank=True)

    objects = CommentQuerySet.as_manager()

    FROZEN_FIELDS = ("term", "term_id", "proposal", "proposal_id", "author", "author_id", "body", "created_at")
    MODERATION_FIELDS = ("hidden_at", "hidden_by", "hidden_reason")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["term", "proposal", "created_at"])]
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")

    def __str__(self) -> str:
        return f"{self.author} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values("term_id", "proposal_id", "author_id", "body").first()
            if stored is not None and any(getattr(self, name) != value for name, value in stored.items()):
                raise CommentImmutableError(_("Un commentaire ne change jamais."))
            kwargs["update_fields"] = kwargs.get("update_fields") or self.MODERATION_FIELDS
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise CommentImmutableError(_("Un commentaire n'est jamais supprimé : un modérateur peut le masquer."))


class TermFollow(models.Model):
    """A person who asked to hear about a term: its new versions and its discussion."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_terms",
                             verbose_name=_("personne"))
    term = models.ForeignKey("lexique.Term", on_delete=models.CASCADE, related_name="followers",
                             verbose_name=_("terme"))
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "term"], name="unique_term_follow")]
        verbose_name = _("suivi d'un terme")
        verbose_name_plural = _("suivis de termes")

    def __str__(self) -> str:
        return f"{self.user} → {self.term_id}"
