"""The lexicon's data: terms, their append-only revisions, domains and the publication log."""
from lexique.models.discussion import Comment, CommentImmutableError, TermFollow
from lexique.models.domain import Domain, DomainListing
from lexique.models.editions import Edition, EditionEntry, EditionFile, EditionImmutableError
from lexique.models.events import LexiconState, ModerationLogEntry, PublicationEvent
from lexique.models.figures import PublishedFigure
from lexique.models.people import AccountEmail, ContributorPreferences, EmailSuppression, PendingNotice
from lexique.models.reports import ErrorReport
from lexique.models.revision import Revision, RevisionImmutableError
from lexique.models.suggestions import Abbreviation, Suggestion
from lexique.models.term import Term
from lexique.models.tokens import ApiToken

__all__ = [
    "Abbreviation",
    "AccountEmail",
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
    "EmailSuppression",
    "ErrorReport",
    "LexiconState",
    "ModerationLogEntry",
    "PendingNotice",
    "PublicationEvent",
    "PublishedFigure",
    "Revision",
    "RevisionImmutableError",
    "Suggestion",
    "Term",
    "TermFollow",
]
