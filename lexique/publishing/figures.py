"""The published set's figures, kept by triggers (models.PublishedFigure): read, never counted.

How many terms are published, per initial letter (French and English headwords) and per domain: each
publication, retirement or change of headword adds or takes one in the transaction that makes it,
on PostgreSQL and SQLite alike and whoever writes (the publishing function, imports, restores, bulk
generation). The home page after a publication then reads a few rows instead of counting a million.
And how many abbreviations each language files under each letter (models.Abbreviation, "fr:I"), kept the
same way from that table's rows.

On PostgreSQL every trigger first locks the published set's state row (lexique_lexiconstate), which
publications lock anyway: writers that change figures take their rows one at a time, in one order,
and never deadlock over them.
"""
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_migrate

from lexique.models import PublishedFigure
from lexique.platform import triggers

TABLE = "lexique_publishedfigure"
ALL, INITIAL, INITIAL_ENGLISH, DOMAIN = "all", "initial", "initial_english", "domain"
# Named "<lang>:<letter>"; kept once the table of abbreviations exists (migration 0022; 0014 installs the rest).
ABBREVIATIONS = "abbreviations"
ABBREVIATION_TABLE = "lexique_abbreviation"

# What the triggers keep, counted from scratch (the migration's step, and the tests' reference).
RECOUNT = f"""
SELECT '{ALL}', '', count(*) FROM lexique_term WHERE status = 'published'
UNION ALL
SELECT '{INITIAL}', initial, count(*) FROM lexique_term WHERE status = 'published' GROUP BY initial
UNION ALL
SELECT '{INITIAL_ENGLISH}', COALESCE(initial_english, ''), count(*) FROM lexique_term
 WHERE status = 'published' GROUP BY COALESCE(initial_english, '')
UNION ALL
SELECT '{DOMAIN}', CAST(domain_id AS TEXT), count(*) FROM lexique_domainlisting WHERE published
 GROUP BY domain_id
"""
_ABBREVIATION_RECOUNT = f"""
UNION ALL
SELECT '{ABBREVIATIONS}', lang || ':' || initial, count(*) FROM {ABBREVIATION_TABLE} GROUP BY lang, initial
"""


def _recount(abbreviations: bool) -> str:
    return RECOUNT + (_ABBREVIATION_RECOUNT if abbreviations else "")


def _rebuild(abbreviations: bool) -> str:
    return f"""
DELETE FROM {TABLE};
INSERT INTO {TABLE} (kind, name, total) {_recount(abbreviations)}
"""



def _add(kind: str, name: str, delta: str, when: str) -> str:
    """One figure moved by `delta` when `when` holds (the same statement on both databases)."""
    return (f"INSERT INTO {TABLE} (kind, name, total) SELECT '{kind}', COALESCE({name}, ''), {delta} WHERE {when}"
            f" ON CONFLICT (kind, name) DO UPDATE SET total = {TABLE}.total + excluded.total;")


def _abbreviation(row: str, delta: str) -> str:
    return _add(ABBREVIATIONS, f"{row}.lang || ':' || {row}.initial", delta, "TRUE")


def _term_figures(row: str, delta: str, when: str) -> str:
    return " ".join([
        _add(ALL, "''", delta, when),
        _add(INITIAL, f"{row}.initial", delta, when),
        _add(INITIAL_ENGLISH, f"{row}.initial_english", delta, when),
    ])


_OLD_TERM = "old.status = 'published'"
_NEW_TERM = "new.status = 'published'"
_TERM_CHANGED = ("(old.status = 'published' OR new.status = 'published') AND (old.status <> new.status"
                 " OR old.initial <> new.initial"
                 " OR COALESCE(old.initial_english, '') <> COALESCE(new.initial_english, ''))")


def _domain(row: str, delta: str) -> str:
    return _add(DOMAIN, f"CAST({row}.domain_id AS TEXT)", delta, f"{row}.published")


_TRIGGERS = {
    # name: (event, condition, body)
    "lexique_figures_term_insert": ("AFTER INSERT ON lexique_term", _NEW_TERM, _term_figures("new", "1", "TRUE")),
    "lexique_figures_term_delete": ("AFTER DELETE ON lexique_term", _OLD_TERM, _term_figures("old", "-1", "TRUE")),
    "lexique_figures_term_update": (
        "AFTER UPDATE OF status, initial, initial_english ON lexique_term", _TERM_CHANGED,
        _term_figures("old", "-1", _OLD_TERM) + " " + _term_figures("new", "1", _NEW_TERM),
    ),
    "lexique_figures_listing_insert": ("AFTER INSERT ON lexique_domainlisting", "new.published", _domain("new", "1")),
    "lexique_figures_listing_delete": ("AFTER DELETE ON lexique_domainlisting", "old.published", _domain("old", "-1")),
    "lexique_figures_listing_update": (
        "AFTER UPDATE OF published, domain_id ON lexique_domainlisting",
        "old.published OR new.published", _domain("old", "-1") + " " + _domain("new", "1"),
    ),
}

# Rows of the table of abbreviations exist for published terms only (the application keeps them so).
_ABBREVIATION_TRIGGERS = {
    "lexique_figures_abbreviation_insert": (f"AFTER INSERT ON {ABBREVIATION_TABLE}", "TRUE", _abbreviation("new", "1")),
    "lexique_figures_abbreviation_delete": (f"AFTER DELETE ON {ABBREVIATION_TABLE}", "TRUE",
                                            _abbreviation("old", "-1")),
    "lexique_figures_abbreviation_update": (
        f"AFTER UPDATE OF lang, initial ON {ABBREVIATION_TABLE}", "TRUE",
        _abbreviation("old", "-1") + " " + _abbreviation("new", "1"),
    ),
}


def _triggers(abbreviations: bool) -> dict[str, tuple[str, str, str]]:
    return {**_TRIGGERS, **(_ABBREVIATION_TRIGGERS if abbreviations else {})}


def _sqlite_triggers(abbreviations: bool) -> dict[str, str]:
    return {name: f"{event} WHEN {when} BEGIN {body} END"
            for name, (event, when, body) in _triggers(abbreviations).items()}


def _has_abbreviations(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database is migrated as far as the table of abbreviations (0022)."""
    return ABBREVIATION_TABLE in connection.introspection.table_names()


def _postgresql_forward(abbreviations: bool) -> str:
    statements = []
    for name, (event, when, body) in _triggers(abbreviations).items():
        statements.append(f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM lexique_lexiconstate WHERE id = 1 FOR UPDATE;
  {body}
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {name} ON {event.split(" ON ")[1]};
CREATE TRIGGER {name} {event} FOR EACH ROW WHEN ({when.replace("old.", "OLD.").replace("new.", "NEW.")})
  EXECUTE FUNCTION {name}();""")
    return "\n".join(statements) + _rebuild(abbreviations)


def _postgresql_backward(abbreviations: bool) -> str:
    return "\n".join(f"DROP TRIGGER IF EXISTS {name} ON {event.split(' ON ')[1]}; DROP FUNCTION IF EXISTS {name}();"
                     for name, (event, _when, _body) in _triggers(abbreviations).items())


def ensure_sqlite_triggers(connection: BaseDatabaseWrapper) -> bool:
    abbreviations = _has_abbreviations(connection)
    return triggers.ensure_sqlite_triggers(connection, table=TABLE, triggers=_sqlite_triggers(abbreviations),
                                           rebuild=_rebuild(abbreviations))


def forward(connection: BaseDatabaseWrapper) -> None:
    """Install the triggers and count what is there (the migrations' step: 0014, and 0022 for abbreviations)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_postgresql_forward(_has_abbreviations(connection)))
    elif connection.vendor == "sqlite":
        ensure_sqlite_triggers(connection)


def backward(connection: BaseDatabaseWrapper) -> None:
    abbreviations = _has_abbreviations(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_postgresql_backward(abbreviations))
    elif connection.vendor == "sqlite":
        triggers.drop_sqlite_triggers(connection, list(_sqlite_triggers(abbreviations)))


def figures(kind: str) -> dict[str, int]:
    """{name: total} of one kind of figure (letters, domain ids as text); zeros may be left out."""
    return dict(PublishedFigure.objects.filter(kind=kind).values_list("name", "total"))


def recounted(using: str = "default") -> dict[tuple[str, str], int]:
    """The figures counted from the terms themselves: what the triggers must have kept (non-zero ones)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_recount(_has_abbreviations(connection)))
        return {(kind, name): total for kind, name, total in cursor.fetchall() if total}


def rebuild(connection: BaseDatabaseWrapper) -> None:
    """Count every figure again from the terms."""
    with connection.cursor() as cursor:
        for statement in filter(str.strip, _rebuild(_has_abbreviations(connection)).split(";")):
            cursor.execute(statement)


def _after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # Also sent by `flush`, which on SQLite empties this table before the terms, whose triggers then
    # take what they held away from it: counted again (PostgreSQL's flush truncates without triggers).
    connection = connections[using]
    if sender.label != "lexique" or connection.vendor != "sqlite":
        return
    if TABLE in connection.introspection.table_names() and not ensure_sqlite_triggers(connection):
        rebuild(connection)


post_migrate.connect(_after_migrate, dispatch_uid="lexique-published-figures")
