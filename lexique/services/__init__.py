"""The workflow services: every write of the lexicon goes through here."""
from lexique.services.content import clean_content
from lexique.services.discussion import (
    can_discuss_proposal,
    comment_on_proposal,
    comment_on_term,
    follow_term,
    hide_comment,
    unfollow_term,
)
from lexique.services.errors import (
    ConflictError,
    PermissionDenied,
    RateLimited,
    UnknownReferenceError,
    ValidationError,
    WorkflowError,
    error_message,
)
from lexique.services.rebase import rebase
from lexique.services.workflow import (
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
    term_holding,
    withdraw,
)

__all__ = [
    "ConflictError",
    "PermissionDenied",
    "RateLimited",
    "UnknownReferenceError",
    "ValidationError",
    "WorkflowError",
    "amend",
    "approve",
    "can_moderate",
    "can_discuss_proposal",
    "clean_content",
    "comment_on_proposal",
    "comment_on_term",
    "follow_term",
    "hide_comment",
    "unfollow_term",
    "rebase",
    "error_message",
    "propose_edit",
    "propose_term",
    "reject",
    "request_changes",
    "resubmit",
    "retire",
    "term_holding",
    "revert",
    "withdraw",
]
