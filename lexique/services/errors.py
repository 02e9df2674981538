"""Domain errors raised by the workflow services and translated at the edge (pages, API)."""
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["ConflictError", "PermissionDenied", "RateLimited", "UnknownReferenceError", "ValidationError",
           "WorkflowError"]


class UnknownReferenceError(ValidationError):
    """Content that names a domain or a related term that does not exist.

    Still a ValidationError (a form shows it beside its field), but one the API answers as a 404 with
    the fields at fault: the one answer for an unknown reference, whoever checks it first.
    """


class WorkflowError(Exception):
    """An action that the state of the term or revision does not allow."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


class ConflictError(WorkflowError):
    """The proposal was made on a version that is no longer the published one."""

    def __init__(self, revision: Any, current: Any) -> None:
        super().__init__(
            _(
                "Cette proposition part de la version %(base)s, mais la version publiée est "
                "maintenant la version %(current)s et toutes deux changent les mêmes champs : "
                "voyez ce qu'elle annulerait avant de l'approuver."
            )
            % {
                "base": (revision.base_revision.version or "—") if revision.base_revision else "—",
                "current": (current.version or "—") if current else "—",
            }
        )
        self.revision = revision
        self.current = current


class RateLimited(WorkflowError):
    """Too many actions of one kind by one account in a short time (comments, say)."""


def error_message(error: Exception) -> str:
    """One readable sentence for any domain error, for the edges that show a single message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, WorkflowError):
        return str(error.message)
    return str(error) or str(_("Action refusée."))
