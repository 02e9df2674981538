"""Signals of the lexicon: sent after commit, when the published set has changed."""
from django.dispatch import Signal

# Sent with version=<LexiconState.version> once a publishing transaction has committed.
published_set_changed = Signal()

# Sent with number=<Edition.number> once the transaction publishing that edition has committed.
edition_published = Signal()
