"""Revisions: the full content of a term at one moment, append-only."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lexique.core.content import SUMMARY_MAX_LENGTH, TRANSLATED_FIELDS
from lexique.core.text import render_markdown
from lexique.models.content import TermContent

if TYPE_CHECKING:
    from lexique.models.term import Term


class RevisionImmutableError(Exception):
    """Raised when code tries to change a revision's content or to delete a revision."""


class RevisionQuerySet(models.QuerySet["Revision"]):
    def delete(self) -> NoReturn:
        raise RevisionImmutableError(_("Les révisions ne sont jamais supprimées."))

    def update(self, **kwargs: Any) -> int:
        # modeltranslation also accepts a bare name ('definition') for the current language's column.
        frozen = set(kwargs) & (set(Revision.frozen_field_names()) | set(TRANSLATED_FIELDS))
        if frozen:
            raise RevisionImmutableError(
                _("Le contenu d'une révision ne change jamais (%(fields)s).")
                % {"fields": ", ".join(sorted(frozen))}
            )
        return super().update(**kwargs)

    def pending(self) -> Self:
        return self.filter(state=Revision.State.PENDING)

    def approved(self) -> Self:
        return self.filter(state=Revision.State.APPROVED)


# Declared with its type: django-modeltranslation swaps the manager's class at run time (lexique/translation.py)
# for one the type checker cannot see.
RevisionManager = models.Manager.from_queryset(RevisionQuerySet)


class Revision(TermContent):
    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        APPROVED = "approved", _("approuvée")
        REJECTED = "rejected", _("refusée")
        CHANGES_REQUESTED = "changes_requested", _("modifications demandées")
        SUPERSEDED = "superseded", _("remplacée")
        WITHDRAWN = "withdrawn", _("retirée par l'auteur")

    term = models.ForeignKey("lexique.Term", on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("numéro"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("auteur")
    )
    base_revision = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("révision de départ"),
    )
    # Set when a moderator reverts a term: the earlier revision whose content this one restores.
    reverted_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("rétablit la révision"),
    )
    # Set when an author resubmits after a moderator asked for changes.
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("remplace la proposition"),
    )
    summary = models.CharField(_("résumé de la modification"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    # Slugs, so that the snapshot stays exactly what the author proposed.
    domain_slugs = models.JSONField(_("domaines"), default=list, blank=True)
    related_slugs = models.JSONField(_("termes associés"), default=list, blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    # The review: the only part of a revision that changes after it is created.
    state = models.CharField(_("état"), max_length=20, choices=State.choices, default=State.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="reviewed_revisions", verbose_name=_("réviseur"),
    )
    reviewed_at = models.DateTimeField(_("révisée le"), null=True, blank=True)
    review_comment = models.TextField(_("commentaire du réviseur"), blank=True)
    # The number people cite: published versions of the term counted 1, 2, 3 … without gaps, given
    # when the revision is published (approved or restored); proposals never published have none.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True, editable=False)

    objects: ClassVar[RevisionManager[Revision]] = RevisionManager()
    # Django's attribute, declared for the same reason: a term's `revisions` are read through it.
    _default_manager: ClassVar[RevisionManager[Revision]]

    REVIEW_FIELDS = ("state", "reviewer", "reviewed_at", "review_comment", "version")

    class Meta:
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_revision_number"),
            models.UniqueConstraint(fields=["term", "version"], name="unique_revision_version"),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]
        verbose_name = _("révision")
        verbose_name_plural = _("révisions")

    def __str__(self) -> str:
        return f"{self.headword_fr} #{self.number}"

    SNAPSHOT_FIELDS = (
        "term_id", "number", "author_id", "base_revision_id", "reverted_from_id", "replaces_id",
        "summary", "domain_slugs", "related_slugs", "created_at",
    )

    @classmethod
    def frozen_field_names(cls) -> list[str]:
        """What may never change once written: everything but the review."""
        return cls.content_field_names() + list(cls.SNAPSHOT_FIELDS)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values(*self.frozen_field_names()).first()
            if stored is not None:
                changed = [name for name, value in stored.items() if getattr(self, name) != value]
                if changed:
                    raise RevisionImmutableError(
                        _("Le contenu d'une révision ne change jamais (%(fields)s).")
                        % {"fields": ", ".join(changed)}
                    )
                kwargs["update_fields"] = kwargs.get("update_fields") or self.REVIEW_FIELDS
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RevisionImmutableError(_("Les révisions ne sont jamais supprimées."))

    def html(self, field: str, lang: str, *, term: Term | None = None) -> str:
        """The safe HTML of one of its Markdown fields ('definition', 'fr').

        Markdown is rendered once, when a revision is published, and stored on its term: when `term`
        publishes this very revision, that stored HTML is the answer. A past, frozen or proposed version
        has none stored; it is rendered from its source, by the same function.
        """
        if term is not None and term.current_revision_id == self.pk:
            return getattr(term, f"{field}_html_{lang}")
        return render_markdown(getattr(self, f"{field}_{lang}"))

    @property
    def is_new_term(self) -> bool:
        return self.base_revision_id is None and self.reverted_from_id is None

    def content(self) -> dict[str, Any]:
        """The revision's content as the dict the workflow services take."""
        data = {name: getattr(self, name) for name in self.content_field_names()}
        data["domains"] = list(self.domain_slugs)
        data["related"] = list(self.related_slugs)
        return data


# Proposals still waiting for someone: the author (changes requested) or a moderator.
OPEN_PROPOSAL_STATES = (Revision.State.PENDING, Revision.State.CHANGES_REQUESTED)
