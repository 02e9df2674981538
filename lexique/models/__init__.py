"""The lexicon's data: terms, their append-only revisions, domains and the publication log."""
from .domain import Domain
from .events import LexiconState, ModerationLogEntry, PublicationEvent
from .people import ContributorPreferences
from .revision import Revision, RevisionImmutableError
from .term import Term
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "ContributorPreferences",
    "Domain",
    "LexiconState",
    "ModerationLogEntry",
    "PublicationEvent",
    "Revision",
    "RevisionImmutableError",
    "Term",
]
