"""Domain errors raised by the workflow services and translated at the edge (pages, API)."""
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["ConflictError", "PermissionDenied", "ValidationError", "WorkflowError"]


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
                "Cette proposition part de la révision %(base)s, mais la version publiée est "
                "maintenant la révision %(current)s : voyez ce qu'elle annulerait avant de l'approuver."
            )
            % {
                "base": revision.base_revision.number if revision.base_revision else "—",
                "current": current.number if current else "—",
            }
        )
        self.revision = revision
        self.current = current


def error_message(error: Exception) -> str:
    """One readable sentence for any domain error, for the edges that show a single message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, WorkflowError):
        return str(error.message)
    return str(error) or str(_("Action refusée."))
