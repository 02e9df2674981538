"""The workflow services: every write of the lexicon goes through here."""
from .content import clean_content
from .errors import ConflictError, PermissionDenied, ValidationError, WorkflowError, error_message
from .workflow import (
    amend,
    approve,
    can_moderate,
    propose_edit,
    propose_term,
    reject,
    request_changes,
    resubmit,
    retire,
    revert,
    withdraw,
)

__all__ = [
    "ConflictError",
    "PermissionDenied",
    "ValidationError",
    "WorkflowError",
    "amend",
    "approve",
    "can_moderate",
    "clean_content",
    "error_message",
    "propose_edit",
    "propose_term",
    "reject",
    "request_changes",
    "resubmit",
    "retire",
    "revert",
    "withdraw",
]
