"""Rows written in bulk without building a model instance per row: one `executemany` of plain values.

For tables whose rows are a few plain columns (keys, log lines, links), where Django's `bulk_create` spends more
time preparing each value than the database spends writing it. The caller gives the values as the database
takes them; defaults and `auto_now_add` are the caller's to fill.
"""
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models

# Rows sent in one call (psycopg pipelines them; SQLite runs them in one prepared statement).
BATCH = 2000


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                using: str = "default") -> int:
    """Insert `rows` (values in the order of `columns`, the model's attribute names) into `model`'s table. Dates
    and JSON are prepared by their field, as Django would; other values go as they are."""
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = {field.attname: field for field in model._meta.concrete_fields}
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "
           f"({', '.join(quote(fields[column].column) for column in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    prepared = [(index, fields[column]) for index, column in enumerate(columns)
                if isinstance(fields[column], models.DateTimeField | models.DateField | models.JSONField)]
    count, pending = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            values = list(row)
            for index, field in prepared:
                values[index] = field.get_db_prep_save(values[index], connection)
            pending.append(tuple(values))
            if len(pending) >= BATCH:
                cursor.executemany(sql, pending)
                count, pending = count + len(pending), []
        if pending:
            cursor.executemany(sql, pending)
    return count + len(pending)


def next_ids(model: type[models.Model], size: int, *, using: str = "default") -> list[int]:
    """Ids for `size` new rows, taken before writing them (terms and their revisions point at each other). On
    SQLite, the caller has already written in its transaction, so that no other connection can take them."""
    if not size:
        return []
    connection = connections[using]
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, size])
            return [row[0] for row in cursor.fetchall()]
    last = model._default_manager.using(using).aggregate(last=models.Max("pk"))["last"] or 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
    first = max(last, row[0] if row else 0) + 1
    return list(range(first, first + size))
