"""The lexicon's data: terms, their append-only revisions, domains and the publication log."""
from .discussion import Comment, CommentImmutableError, TermFollow
from .domain import Domain, DomainListing
from .editions import Edition, EditionEntry, EditionFile, EditionImmutableError
from .events import LexiconState, ModerationLogEntry, PublicationEvent
from .people import ContributorPreferences
from .revision import Revision, RevisionImmutableError
from .term import Term
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "Comment",
    "CommentImmutableError",
    "ContributorPreferences",
    "Domain",
    "DomainListing",
    "Edition",
    "EditionEntry",
    "EditionFile",
    "EditionImmutableError",
    "LexiconState",
    "ModerationLogEntry",
    "PublicationEvent",
    "Revision",
    "RevisionImmutableError",
    "Term",
    "TermFollow",
]
