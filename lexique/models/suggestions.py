"""The keys readers type to find a published term, one row per headword or synonym and word start; and its
abbreviations as the A–Z pages file them."""
from django.db import models


class Suggestion(models.Model):
    """A published term's headword or synonym, as the search box looks it up (lexique/search/suggestions.py).

    `key` holds the text without case, accents, ligatures, punctuation, apostrophes or spaces, from the
    start of the text (`word` 0) or of one of its later words (`word` n): "l'œuvre d'art" is found by
    typing `l'oeuvre`, `loeuvre`, `oeuvre` or `art`. A prefix of the key is a range of one index, so a
    suggestion reads a few rows of this table, never the terms'. Kept by the application (after every
    save of a term, and in bulk by the migration and `generate_terms`), never written by a view.
    """

    # Not carried by backups: restoring the terms fills it again, as each term is saved.
    kept_by_database = True

    key = models.CharField(max_length=100)
    term_id = models.BigIntegerField()
    lang = models.CharField(max_length=2)
    synonym = models.BooleanField(default=False)
    word = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # The key's indexes are each database's own (a binary collation on PostgreSQL):
        # lexique/search/indexes.py, SUGGESTION_INDEXES.
        indexes = [models.Index(fields=["term_id"], name="suggestion_term")]


class Abbreviation(models.Model):
    """A published term's abbreviation, acronym or initialism (a synonym with a kind, core.content.DesignationKind),
    as the A–Z pages file it: under its own letter, in its own language, pointing to its term ("IA →
    intelligence artificielle"). Kept by the application with the suggestions (lexique/search/suggestions.py),
    never written by a view; a letter's abbreviations are a range of one index.
    """

    # Not carried by backups: restoring the terms fills it again, as each term is saved.
    kept_by_database = True

    term_id = models.BigIntegerField()
    lang = models.CharField(max_length=2)
    text = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=220)
    initial = models.CharField(max_length=1)

    class Meta:
        indexes = [
            models.Index(fields=["lang", "initial", "key", "term_id"], name="abbreviation_letter"),
            models.Index(fields=["term_id"], name="abbreviation_term"),
        ]
