"""Tables kept by the database's own triggers on SQLite: created when missing, the table then rebuilt.

Django rebuilds a SQLite table to alter one of its columns, which drops the table's triggers: the
modules that keep such tables (the domains' listing, the published figures) check theirs after every
migration, so that a derived table never silently stops following the terms.
"""
from django.db.backends.base.base import BaseDatabaseWrapper


def ensure_sqlite_triggers(connection: BaseDatabaseWrapper, *, table: str, triggers: dict[str, str],
                           rebuild: str) -> bool:
    """Create `triggers` ({name: body}) when any is missing, then run `rebuild`; True when it did."""
    names = list(triggers)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        if cursor.fetchone() is None:
            return False  # not migrated that far yet (or migrated back)
        placeholders = ", ".join(["%s"] * len(names))
        cursor.execute(f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({placeholders})",
                       names)
        if cursor.fetchone()[0] == len(names):
            return False
        for name, body in triggers.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"CREATE TRIGGER {name} {body}")
        for statement in filter(str.strip, rebuild.split(";")):
            cursor.execute(statement)
    return True


def drop_sqlite_triggers(connection: BaseDatabaseWrapper, names: list[str]) -> None:
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
