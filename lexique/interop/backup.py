"""Complete, versioned backups of the site's own data: the lexicon with its whole history, and the accounts.

A backup is one JSON document laid out one row per line, so that it is written and read a chunk at
a time:

    {"format": "lexique-backup", "version": 1, "schema": {...}, "objects": [
    {"fields": {...}, "model": "auth.group", "pk": 1},
    ...
    ], "counts": {"auth.group": 1, ...}}

Rows are Django's own serialisation ("model", "pk", "fields"), in a fixed order of models and by
primary key, with sorted keys, so the same database always gives the same bytes. Every row keeps its
primary key; only what `migrate` creates (permissions, content types) is named by its natural key,
since its keys differ from one database to the next. API tokens and sessions are never carried.
"""
from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

from lexique.models import LexiconState, Term
from lexique.publishing.signals import published_set_changed

FORMAT = "lexique-backup"
VERSION = 1
# Rows read from the database, serialised and written at a time.
CHUNK_SIZE = 1000
# Rows between two reports of progress (a command's bar on a terminal).
PROGRESS_EVERY = 500

# Credentials, wherever their model lives: a model built on a token library's classes is never carried.
CREDENTIAL_MODULES = ("knox.", "rest_framework.authtoken.")

_OBJECTS_OPEN = ', "objects": ['
_COUNTS_OPEN = '], "counts": '


class BackupError(Exception):
    """A file that is not a backup this site can restore, or a database that cannot receive it."""


def carried_models() -> list[type[models.Model]]:
    """What a backup holds, in the order it is written: the accounts, then every model of the lexicon.

    Every concrete model of the lexique application is carried, so a model added later is backed up
    without anyone having to remember it, except API tokens: credentials are never copied (their
    owners make new ones); and the database's own indexes (`kept_by_database`), which its triggers
    fill again as the rows they follow are restored. Sessions and sign-in attempts live in other
    applications.
    """
    lexicon = [
        model for model in apps.get_app_config("lexique").get_models()
        if model._meta.managed and not model._meta.proxy and not is_credential(model)
        and not getattr(model, "kept_by_database", False)
    ]
    return list(dict.fromkeys([Group, get_user_model(), *lexicon]))


def is_credential(model: type[models.Model]) -> bool:
    return any(base.__module__.startswith(CREDENTIAL_MODULES) for base in model.__mro__)


def _through(field: models.ManyToManyField[Any, Any]) -> type[models.Model]:
    """The model of a many-to-many relation's rows (Django sets it once the models are loaded)."""
    through = field.remote_field.through
    assert through is not None, f"{field} has no model for its rows"
    return through


def _attname(model: type[models.Model], name: str) -> str:
    """The attribute that holds the value of field `name` of `model` (`term_id` for `term`)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a field of {model}"
    return field.attname


def _through_models(model_list: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    return [
        _through(field)
        for model in model_list
        for field in model._meta.local_many_to_many
        if _through(field)._meta.auto_created
    ]


def _schema_apps(model_list: Iterable[type[models.Model]]) -> list[str]:
    return sorted({model._meta.app_label for model in model_list})


def _backed_up_fields(model: type[models.Model]) -> list[str]:
    """Every stored field of `model` but modeltranslation's untranslated shadows.

    `headword` of a translated model reads and writes the active language's column (`headword_fr`
    or `headword_en`): the columns of each language are the data, the shadow follows them.
    """
    try:
        shadows = set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        shadows = set()
    # (`serialize` is an attribute of every field, missing from Django's stubs.)
    names = [field.name for field in model._meta.local_fields if field.serialize]  # type: ignore[attr-defined]
    names += [field.name for field in model._meta.local_many_to_many if field.serialize]  # type: ignore[attr-defined]
    return [name for name in names if name not in shadows]


class _Encoder(DjangoJSONEncoder):
    # Django's encoder cuts microseconds to milliseconds; a backup keeps every digit.
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, sort_keys=True)


class _Serializer(PythonSerializer):
    """Django's serialiser, naming by natural key only the rows a backup does not carry.

    Carried rows keep their primary keys (revision ids, sequences and links stay identical);
    permissions and content types are made by `migrate`, with keys that differ between databases.
    """

    def __init__(self, carried: Collection[type[models.Model]]) -> None:
        super().__init__()
        self.carried = carried

    def handle_fk_field(self, obj: models.Model, field: models.ForeignKey[Any, Any]) -> None:
        self.use_natural_foreign_keys = field.remote_field.model not in self.carried
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: models.ManyToManyField[Any, Any]) -> None:
        # The relation was prefetched for the whole chunk (see _rows); Django's own method would
        # build, and throw away, a queryset for every row.
        if not _through(field)._meta.auto_created:
            return
        named = field.remote_field.model not in self.carried and hasattr(field.remote_field.model, "natural_key")
        values = [
            related.natural_key() if named
            else self._value_from_field(related, related._meta.pk)  # type: ignore[attr-defined]  # Django's own
            for related in obj._prefetched_objects_cache[field.name]  # type: ignore[attr-defined]  # prefetch cache
        ]
        # A many-to-many relation has no order: sorted, so that the bytes do not depend on the database.
        self._current[field.name] = sorted(values)  # type: ignore[attr-defined]  # the row Django is making


def _rows(model: type[models.Model], carried: Collection[type[models.Model]],
          using: str) -> Iterator[dict[str, Any]]:
    fields = _backed_up_fields(model)
    prefetches: list[models.Prefetch] = []
    for field in model._meta.local_many_to_many:
        target = field.remote_field.model
        if target in carried:
            queryset = target._base_manager.using(using).order_by().only("pk")
        else:
            queryset = target._base_manager.using(using).order_by().select_related(
                *[f.name for f in target._meta.local_fields if f.is_relation]
            )
        prefetches.append(models.Prefetch(field.name, queryset=queryset))
    queryset = model._base_manager.using(using).order_by("pk").prefetch_related(*prefetches)
    chunk: list[models.Model] = []
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(obj)
        if len(chunk) == CHUNK_SIZE:
            yield from _Serializer(carried).serialize(chunk, fields=fields)
            chunk = []
    if chunk:
        yield from _Serializer(carried).serialize(chunk, fields=fields)


def _applied_schema(using: str, app_labels: Iterable[str]) -> dict[str, list[str]]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return {label: sorted(name for app, name in applied if app == label) for label in app_labels}


def write_backup(stream: IO[str], *, using: str = DEFAULT_DB_ALIAS,
                 progress: Callable[[int, int | None], None] | None = None) -> dict[str, int]:
    """Write the whole backup of the database to the text stream; return the rows written per model.

    `progress(rows written, rows in all)` is told as rows are written.

    It is read inside one transaction (on PostgreSQL a repeatable-read snapshot), so a moderator
    approving a proposal meanwhile never leaves a revision on one side and its term on the other.
    """
    connection = connections[using]
    carried = carried_models()
    counts: Counter[str] = Counter()
    outermost = not connection.in_atomic_block
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        schema = _applied_schema(using, _schema_apps(carried))
        # Written by hand so that the file opens with what it is: its format, then its version.
        stream.write(f'{{"format": {_dumps(FORMAT)}, "version": {VERSION}, "schema": {_dumps(schema)}{_OBJECTS_OPEN}\n')
        separator = ""
        total = sum(model._base_manager.using(using).count() for model in carried) if progress else None
        written = 0
        for model in carried:
            for row in _rows(model, carried, using):
                stream.write(separator + _dumps(row))
                separator = ",\n"
                counts[row["model"]] += 1
                written += 1
                if progress and written % PROGRESS_EVERY == 0:
                    progress(written, total)
        if progress:
            progress(written, total)
        stream.write(("\n" if separator else "") + _COUNTS_OPEN + _dumps(dict(counts)) + "}\n")
    return dict(counts)


# Reading


def _parse(stream: IO[str]) -> tuple[dict[str, Any], Iterator[tuple[str, Any]], dict[str, Any]]:
    """(header, rows with where each was read, holder of the counts once the rows are read).

    A file in the layout written above is read a line at a time; any other layout of the same JSON
    (reformatted by a tool) is read whole.
    """
    first = stream.readline()
    if first.endswith(_OBJECTS_OPEN + "\n"):
        try:
            header = json.loads(first[: -len(_OBJECTS_OPEN) - 1] + "}")
        except json.JSONDecodeError:
            header = None
        if isinstance(header, dict):
            trailer: dict[str, Any] = {}
            return header, _lines(stream, trailer), trailer
    try:
        document = json.loads(first + stream.read())
    except json.JSONDecodeError as error:
        raise BackupError(f"Not a Lexique backup: not JSON, or cut short ({error}).") from error
    if not isinstance(document, dict):
        raise BackupError("Not a Lexique backup: the file is not a JSON object.")
    objects = document.pop("objects", None)
    if not isinstance(objects, list) or "counts" not in document:
        _check_header(document)
        raise BackupError("Malformed backup: it needs a list of objects and their counts.")
    trailer = {"counts": document.pop("counts")}
    return document, ((f"Object {number}", row) for number, row in enumerate(objects, start=1)), trailer


def _lines(stream: IO[str], trailer: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    number = 1
    for number, line in enumerate(stream, start=2):
        if line.startswith(_COUNTS_OPEN):
            try:
                trailer.update(json.loads('{"objects": [' + line))
            except json.JSONDecodeError as error:
                raise BackupError(f"Line {number}: malformed last line ({error}).") from error
            if stream.read().strip():
                raise BackupError(f"Line {number}: text after the end of the backup.")
            return
        try:
            yield f"Line {number}", json.loads(line.rstrip("\n").removesuffix(","))
        except json.JSONDecodeError as error:
            raise BackupError(f"Line {number}: not a JSON row, the file may be cut short ({error}).") from error
    raise BackupError(f"The file ends at line {number} before the end of the backup: it was cut short.")


def _check_header(header: dict[str, Any]) -> None:
    if header.get("format") != FORMAT:
        raise BackupError(f"Not a Lexique backup: its format is {header.get('format')!r}, not {FORMAT!r}.")
    if header.get("version") != VERSION:
        raise BackupError(
            f"Unsupported backup format version {header.get('version')!r}: this site reads version {VERSION}."
        )
    schema = header.get("schema")
    if not isinstance(schema, dict) or not all(isinstance(names, list) for names in schema.values()):
        raise BackupError("Malformed backup: its schema must map each application to its migrations.")


def _check_schema(schema: dict[str, list[str]], *, using: str, carried: Iterable[type[models.Model]]) -> None:
    """The database must be at exactly the migrations the backup was made at.

    Older rows loaded into a newer schema would skip the data migrations in between; restore with
    the version of the site that made the backup, then upgrade it with `migrate`.
    """
    here = _applied_schema(using, _schema_apps(carried))
    if set(schema) != set(here):
        raise BackupError(f"The backup covers the applications {sorted(schema)}, this site {sorted(here)}.")
    for label in sorted(here):
        missing = sorted(set(schema[label]) - set(here[label]))
        extra = sorted(set(here[label]) - set(schema[label]))
        if missing or extra:
            raise BackupError(
                f"The backup was made at another version of the database ({label}: "
                f"missing here {missing or 'none'}, not in the backup {extra or 'none'}). Restore it with "
                f"the version of the site that made it, then upgrade with `manage.py migrate`."
            )


def _require_empty(carried: Iterable[type[models.Model]], using: str) -> None:
    """Refuse a database that already holds accounts or lexicon data: a restore never merges."""
    state = LexiconState._base_manager.using(using)
    # The site makes this row, at version 0, the first time a page asks for the version: that is no data.
    state.filter(version=0, changed_at=None).delete()
    filled = [model._meta.label for model in carried if model._base_manager.using(using).exists()]
    if filled:
        raise BackupError(
            f"The database is not empty ({', '.join(filled)}): restore only into a new, migrated database."
        )


def _objects(rows: Iterable[tuple[str, Any]], carried: Iterable[type[models.Model]], counts: Counter[str],
             where: list[str]) -> Iterator[dict[str, Any]]:
    labels = {model._meta.label_lower for model in carried}
    for place, row in rows:
        where[0] = place
        if not isinstance(row, dict) or set(row) != {"model", "pk", "fields"} or not isinstance(row["fields"], dict):
            raise BackupError(f"{place}: a row must hold exactly its model, pk and fields.")
        if row["model"] not in labels:
            raise BackupError(f"{place}: backups never carry {row['model']!r} rows.")
        counts[row["model"]] += 1
        yield row


def read_backup(stream: IO[str], *, using: str = DEFAULT_DB_ALIAS,
                progress: Callable[[int, int | None], None] | None = None) -> dict[str, int]:
    """Restore a backup into an empty, migrated database, all or nothing; return the rows per model.

    `progress(rows restored, None)` is told as rows are saved.

    Rows are saved as Django's `loaddata` saves them (`Model.save_base(raw=True)`), so append-only
    revisions are inserted once, as they are, without going through the guards of their `save()`.
    """
    header, rows, trailer = _parse(stream)
    _check_header(header)
    connection = connections[using]
    carried = carried_models()
    counts: Counter[str] = Counter()
    where = ["Header"]
    try:
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), transaction.atomic(using=using):
            _check_schema(header["schema"], using=using, carried=carried)
            _require_empty(carried, using)
            links = _Links(using)
            for deserialized in serializers.deserialize("python", _objects(rows, carried, counts, where), using=using):
                m2m_data = deserialized.m2m_data  # save() forgets it
                deserialized.save(using=using, force_insert=True, save_m2m=False)
                links.add(deserialized.object, m2m_data or {})
                if progress and (restored := sum(counts.values())) % PROGRESS_EVERY == 0:
                    progress(restored, None)
            where[0] = "After the last row"
            links.flush()
            if trailer.get("counts") != dict(counts):
                raise BackupError(
                    f"The backup announces {trailer.get('counts')} rows but holds {dict(counts)}: it is damaged."
                )
            # Links between rows are checked once every row is in (they may point forward in the file).
            tables = [model._meta.db_table for model in carried + _through_models(carried)]
            connection.check_constraints(table_names=tables)
            _reset_sequences(connection, carried)
            version = LexiconState._base_manager.using(using).filter(pk=1).values_list("version", flat=True).first()
            if version is not None:
                transaction.on_commit(
                    lambda: published_set_changed.send(sender=Term, version=version), using=using
                )
    except BackupError:
        raise
    except (DeserializationError, FieldDoesNotExist, ObjectDoesNotExist, DjangoValidationError,
            DatabaseError, ValueError, TypeError, KeyError) as error:
        raise BackupError(f"{where[0]}: {error}") from error
    return dict(counts)


class _Links:
    """Many-to-many rows, inserted a chunk at a time rather than with one `set()` per object."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.pending: defaultdict[type[models.Model], list[models.Model]] = defaultdict(list)

    def add(self, obj: models.Model, m2m_data: Mapping[str, Sequence[Any]]) -> None:
        for name, targets in m2m_data.items():
            field = obj._meta.get_field(name)
            assert isinstance(field, models.ManyToManyField), "Django's deserializer gives only these"
            through = _through(field)
            source = _attname(through, field.m2m_field_name())
            target = _attname(through, field.m2m_reverse_field_name())
            self.pending[through] += [through(**{source: obj.pk, target: pk}) for pk in targets]
            if len(self.pending[through]) >= CHUNK_SIZE:
                self._write(through)

    def flush(self) -> None:
        for through in list(self.pending):
            self._write(through)

    def _write(self, through: type[models.Model]) -> None:
        through._base_manager.using(self.using).bulk_create(self.pending.pop(through), batch_size=CHUNK_SIZE)


def _reset_sequences(connection: BaseDatabaseWrapper, carried: list[type[models.Model]]) -> None:
    """Let the database hand out keys after the restored ones (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), carried + _through_models(carried))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
