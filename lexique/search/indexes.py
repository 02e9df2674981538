"""The search indexes each database keeps by itself: PostgreSQL's search document, SQLite's FTS5 table.

Both are maintained by triggers on the terms table, so that every writer (the publishing function,
imports, restores, bulk generation) keeps them right without knowing they exist.
"""
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.backends.utils import CursorWrapper
from django.db.models.signals import post_migrate

# How close a typed word must be to a headword (pg_trgm word similarity) to count as a typo of it.
# The `%>` operator that the trigram indexes serve reads it from this setting.
TYPO_SIMILARITY = 0.5

# The search document of migration 0008: headwords weigh most, then synonyms, then definitions; each
# language stemmed by its own configuration, accents folded by unaccent. Migration 0015 makes it the
# text's words instead (TEXT_WORDS_FORWARD below).
POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION lexique_term_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  synonyms_fr text;
  synonyms_en text;
BEGIN
  SELECT string_agg(item->>'text', ' ') FILTER (WHERE coalesce(item->>'lang', 'fr') <> 'en'),
         string_agg(item->>'text', ' ') FILTER (WHERE item->>'lang' = 'en')
    INTO synonyms_fr, synonyms_en
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.synonyms) = 'array' THEN NEW.synonyms ELSE '[]' END)
         AS item
   WHERE jsonb_typeof(item) = 'object';
  NEW.search_document :=
       setweight(to_tsvector('lexique_fr', coalesce(NEW.headword_fr, '')), 'A')
    || setweight(to_tsvector('lexique_en', coalesce(NEW.headword_en, '')), 'A')
    || setweight(to_tsvector('lexique_fr', coalesce(synonyms_fr, '')), 'B')
    || setweight(to_tsvector('lexique_en', coalesce(synonyms_en, '')), 'B')
    || setweight(to_tsvector('lexique_fr', coalesce(NEW.definition_fr, '')), 'C')
    || setweight(to_tsvector('lexique_en', coalesce(NEW.definition_en, '')), 'C');
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS lexique_term_search_document ON lexique_term;
CREATE TRIGGER lexique_term_search_document
  BEFORE INSERT OR UPDATE OF headword_fr, headword_en, definition_fr, definition_en, synonyms ON lexique_term
  FOR EACH ROW EXECUTE FUNCTION lexique_term_search_document();
UPDATE lexique_term SET synonyms = synonyms;
CREATE INDEX IF NOT EXISTS lexique_term_search_document ON lexique_term USING gin (search_document);
CREATE INDEX IF NOT EXISTS lexique_term_sort_key_english_trgm ON lexique_term
  USING gin (sort_key_english gin_trgm_ops);
"""

POSTGRESQL_BACKWARD = """
DROP INDEX IF EXISTS lexique_term_sort_key_english_trgm;
DROP INDEX IF EXISTS lexique_term_search_document;
DROP TRIGGER IF EXISTS lexique_term_search_document ON lexique_term;
DROP FUNCTION IF EXISTS lexique_term_search_document();
"""

def _statement_triggers(function: str) -> str:
    """The triggers that run `function` once per statement that inserts or updates terms (`changed`: the
    rows as they are now)."""
    return "\n".join(
        f"DROP TRIGGER IF EXISTS {function}_{event} ON lexique_term;\n"
        f"CREATE TRIGGER {function}_{event} AFTER {event.upper()} ON lexique_term REFERENCING NEW TABLE AS changed\n"
        f"  FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for event in ("insert", "update")
    )


# PostgreSQL: the words of the headwords (both languages, four letters or more), for typo correction as
# pg_trgm's documentation advises: a mistyped word is matched against this small vocabulary, not against
# every headword of the lexicon. Words are only ever added (a word no longer used finds no term).
# Statement triggers with transition tables: a bulk insert adds its words in one statement.
VOCABULARY_TABLE = "lexique_headword_word"
VOCABULARY_FORWARD = f"""
CREATE TABLE IF NOT EXISTS {VOCABULARY_TABLE} (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS {VOCABULARY_TABLE}_trgm ON {VOCABULARY_TABLE} USING gin (word gin_trgm_ops);
CREATE OR REPLACE FUNCTION lexique_headword_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {VOCABULARY_TABLE} (word)
    SELECT DISTINCT word
      FROM changed, regexp_split_to_table(changed.sort_key || ' ' || changed.sort_key_english, '[^[:alnum:]]+') AS word
     WHERE length(word) >= 4
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
{_statement_triggers("lexique_headword_words")}
INSERT INTO {VOCABULARY_TABLE} (word)
  SELECT DISTINCT word
    FROM lexique_term, regexp_split_to_table(sort_key || ' ' || sort_key_english, '[^[:alnum:]]+') AS word
   WHERE length(word) >= 4
  ON CONFLICT DO NOTHING;
"""
VOCABULARY_BACKWARD = f"""
DROP TRIGGER IF EXISTS lexique_headword_words_update ON lexique_term;
DROP TRIGGER IF EXISTS lexique_headword_words_insert ON lexique_term;
DROP FUNCTION IF EXISTS lexique_headword_words();
DROP TABLE IF EXISTS {VOCABULARY_TABLE};
"""
# PostgreSQL: the words of the search texts. A query's word is held by a text exactly when it is held by
# one of the text's words (both are runs of letters and digits), so "every term whose text holds
# `musee`" is read as: the text words that hold it (this small table's trigram index), then the terms
# that have one of those words: `search_document`, each text's words as exact lexemes (no parser, no
# stemming) in a GIN index, replaces the stemmed document of migration 0008, which no search read. A
# common word then costs its own postings, where the text's trigram index read the postings of each of
# its trigrams (`mediation` through `ion`, held by most texts); and, stored, the words are tested at
# the cost of a lookup where the planner prefers to scan. Words are only ever added, as above.
TEXT_VOCABULARY_TABLE = "lexique_text_word"
_TEXT_WORDS_OF = "array_remove(regexp_split_to_array({column}, '[^[:alnum:]]+'), '')"
TEXT_WORDS_FORWARD = f"""
CREATE OR REPLACE FUNCTION lexique_term_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_document := array_to_tsvector({_TEXT_WORDS_OF.format(column="coalesce(NEW.search_text, '')")});
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS lexique_term_search_document ON lexique_term;
CREATE TRIGGER lexique_term_search_document BEFORE INSERT OR UPDATE OF search_text ON lexique_term
  FOR EACH ROW EXECUTE FUNCTION lexique_term_search_document();
DROP INDEX IF EXISTS lexique_term_search_document;
UPDATE lexique_term SET search_text = search_text;
CREATE INDEX lexique_term_search_document ON lexique_term USING gin (search_document);
CREATE TABLE IF NOT EXISTS {TEXT_VOCABULARY_TABLE} (word text PRIMARY KEY);
INSERT INTO {TEXT_VOCABULARY_TABLE} (word)
  SELECT DISTINCT word FROM lexique_term, unnest({_TEXT_WORDS_OF.format(column="search_text")}) AS word
  ON CONFLICT DO NOTHING;
CREATE INDEX IF NOT EXISTS {TEXT_VOCABULARY_TABLE}_trgm ON {TEXT_VOCABULARY_TABLE} USING gin (word gin_trgm_ops);
CREATE INDEX IF NOT EXISTS {TEXT_VOCABULARY_TABLE}_prefix ON {TEXT_VOCABULARY_TABLE} (word text_pattern_ops);
CREATE OR REPLACE FUNCTION lexique_text_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TEXT_VOCABULARY_TABLE} (word)
    SELECT DISTINCT word FROM changed, unnest({_TEXT_WORDS_OF.format(column="changed.search_text")}) AS word
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
{_statement_triggers("lexique_text_words")}
"""
# Back to the stemmed document of migration 0008.
TEXT_WORDS_BACKWARD = f"""
DROP TRIGGER IF EXISTS lexique_text_words_update ON lexique_term;
DROP TRIGGER IF EXISTS lexique_text_words_insert ON lexique_term;
DROP FUNCTION IF EXISTS lexique_text_words();
DROP TABLE IF EXISTS {TEXT_VOCABULARY_TABLE};
{POSTGRESQL_FORWARD}
"""
# A query's word read through the text words when at most this many of them hold it; a shorter, more
# common piece (`ion`) is read through the text's trigram index as before.
TEXT_WORDS_PER_QUERY_WORD = 300

# How many known words may stand for one mistyped word.
CORRECTIONS_PER_WORD = 3
# A query's words looked up in the vocabulary, at most (one index read each): a long query of many words
# costs what a short one does; words past these stand for themselves.
CORRECTED_WORDS = 6


def corrections(cursor: CursorWrapper, words: list[str]) -> dict[str, list[str]]:
    """PostgreSQL: {word: [known headword words closest to it]} for the words of a query, each read from
    the vocabulary's trigram index (a known word stands for itself)."""
    found: dict[str, list[str]] = {}
    for word in list(dict.fromkeys(words))[:CORRECTED_WORDS]:
        cursor.execute(
            f"SELECT word FROM {VOCABULARY_TABLE} WHERE word %% %s "
            f"ORDER BY word = %s DESC, similarity(word, %s) DESC, word LIMIT {CORRECTIONS_PER_WORD}",
            [word, word, word],
        )
        rows = [row[0] for row in cursor.fetchall()]
        found[word] = rows[:1] if rows and rows[0] == word else rows
    return found


# SQLite: an FTS5 index over the terms table itself (external content), trigram tokenizer, so that
# substrings of three letters or more are found through the index, accents already folded in the keys.
FTS_TABLE = "lexique_term_fts"
_FTS_COLUMNS = "search_text, sort_key, sort_key_english"
_SQLITE_TABLE = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
  {_FTS_COLUMNS}, content='lexique_term', content_rowid='id', tokenize='trigram'
)"""
_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS lexique_term_fts_insert AFTER INSERT ON lexique_term BEGIN
  INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, new.search_text, new.sort_key, new.sort_key_english);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS lexique_term_fts_delete AFTER DELETE ON lexique_term BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS})
    VALUES ('delete', old.id, old.search_text, old.sort_key, old.sort_key_english);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS lexique_term_fts_update
  AFTER UPDATE OF search_text, sort_key, sort_key_english ON lexique_term BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS})
    VALUES ('delete', old.id, old.search_text, old.sort_key, old.sort_key_english);
  INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, new.search_text, new.sort_key, new.sort_key_english);
END""",
]
_SQLITE_TRIGGER_NAMES = ("lexique_term_fts_insert", "lexique_term_fts_delete", "lexique_term_fts_update")


def ensure_sqlite_index(connection: BaseDatabaseWrapper) -> bool:
    """Create the FTS5 table and its triggers when missing, and rebuild it then; True when it did.

    Django rebuilds a SQLite table to alter one of its columns, which drops the table's triggers:
    this runs after every migration so that the index never silently stops following the terms.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
            list(_SQLITE_TRIGGER_NAMES),
        )
        if cursor.fetchone()[0] == len(_SQLITE_TRIGGER_NAMES):
            return False
        cursor.execute(_SQLITE_TABLE)
        for trigger in _SQLITE_TRIGGERS:
            cursor.execute(trigger)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


def drop_sqlite_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name in _SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def keep_indexes_after_migrate(using: str = "default") -> None:
    """After a migration: put SQLite's triggers back if a table rebuild dropped them."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return  # not migrated that far yet (or migrated back)
    ensure_sqlite_index(connection)


def _typo_threshold(sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # The trigram indexes answer `%>` at pg_trgm.word_similarity_threshold (0.6 by default):
    # set it once per connection rather than compute the similarity of every row.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {TYPO_SIMILARITY}")


connection_created.connect(_typo_threshold, dispatch_uid="lexique-typo-threshold")


def _after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if sender.label == "lexique":
        keep_indexes_after_migrate(using)


post_migrate.connect(_after_migrate, dispatch_uid="lexique-search-indexes")


# Suggestions (models.Suggestion, lexique/search/suggestions.py): whole texts (word 0) and word starts,
# each a partial index in binary order (PostgreSQL's "C" collation, SQLite's default), so that a prefix
# of a key is a range of one index read in key order, with what the ranking needs (an index-only read).
SUGGESTION_TABLE = "lexique_suggestion"
SUGGESTION_INDEXES = {
    "postgresql": [
        f'CREATE INDEX IF NOT EXISTS suggestion_key_whole ON {SUGGESTION_TABLE} (key COLLATE "C") '
        f"INCLUDE (term_id, lang, synonym) WHERE word = 0",
        f'CREATE INDEX IF NOT EXISTS suggestion_key_word ON {SUGGESTION_TABLE} (key COLLATE "C") '
        f"INCLUDE (term_id, lang, synonym) WHERE word > 0",
    ],
    "sqlite": [
        f"CREATE INDEX IF NOT EXISTS suggestion_key_whole ON {SUGGESTION_TABLE} (key, term_id, lang, synonym) "
        f"WHERE word = 0",
        f"CREATE INDEX IF NOT EXISTS suggestion_key_word ON {SUGGESTION_TABLE} (key, term_id, lang, synonym) "
        f"WHERE word > 0",
    ],
}
SUGGESTION_INDEXES_BACKWARD = ["DROP INDEX IF EXISTS suggestion_key_word", "DROP INDEX IF EXISTS suggestion_key_whole"]
