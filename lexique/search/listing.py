"""The domains' listing table (models.DomainListing), kept by triggers on the terms and their domains.

A domain's pages sort its terms by headword; with the keys copied next to the domain, any page is a
range of one index instead of a sort of the whole domain. Triggers keep the copy right for every
writer (the publishing function, imports, restores, bulk generation) on PostgreSQL and SQLite alike.
"""
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_migrate

from lexique.platform import triggers

TABLE = "lexique_domainlisting"
_COLUMNS = "domain_id, term_id, published, sort_key, sort_key_english, slug"
_FROM_TERM = "t.status = 'published', t.sort_key, t.sort_key_english, t.slug FROM lexique_term AS t"
_TERM_KEYS = "status, sort_key, sort_key_english, slug"

# Everything that is already there, for a database migrated before the table existed.
REBUILD = f"""
DELETE FROM {TABLE};
INSERT INTO {TABLE} ({_COLUMNS})
  SELECT link.domain_id, t.id, {_FROM_TERM} JOIN lexique_term_domains AS link ON link.term_id = t.id;
"""

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION lexique_domain_listing_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM {TABLE} WHERE domain_id = OLD.domain_id AND term_id = OLD.term_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO {TABLE} ({_COLUMNS})
      SELECT NEW.domain_id, t.id, {_FROM_TERM} WHERE t.id = NEW.term_id
      ON CONFLICT (domain_id, term_id) DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION lexique_domain_listing_term() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {TABLE} SET published = NEW.status = 'published', sort_key = NEW.sort_key,
                     sort_key_english = NEW.sort_key_english, slug = NEW.slug
   WHERE term_id = NEW.id;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS lexique_domain_listing_link ON lexique_term_domains;
CREATE TRIGGER lexique_domain_listing_link AFTER INSERT OR UPDATE OR DELETE ON lexique_term_domains
  FOR EACH ROW EXECUTE FUNCTION lexique_domain_listing_link();
DROP TRIGGER IF EXISTS lexique_domain_listing_term ON lexique_term;
CREATE TRIGGER lexique_domain_listing_term AFTER UPDATE OF {_TERM_KEYS} ON lexique_term
  FOR EACH ROW WHEN ((OLD.status, OLD.sort_key, OLD.sort_key_english, OLD.slug)
                     IS DISTINCT FROM (NEW.status, NEW.sort_key, NEW.sort_key_english, NEW.slug))
  EXECUTE FUNCTION lexique_domain_listing_term();
{REBUILD}
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS lexique_domain_listing_term ON lexique_term;
DROP TRIGGER IF EXISTS lexique_domain_listing_link ON lexique_term_domains;
DROP FUNCTION IF EXISTS lexique_domain_listing_term();
DROP FUNCTION IF EXISTS lexique_domain_listing_link();
"""

_SQLITE_TRIGGERS = {
    "lexique_domain_listing_insert": f"""AFTER INSERT ON lexique_term_domains BEGIN
  INSERT OR IGNORE INTO {TABLE} ({_COLUMNS}) SELECT new.domain_id, t.id, {_FROM_TERM} WHERE t.id = new.term_id;
END""",
    "lexique_domain_listing_delete": f"""AFTER DELETE ON lexique_term_domains BEGIN
  DELETE FROM {TABLE} WHERE domain_id = old.domain_id AND term_id = old.term_id;
END""",
    "lexique_domain_listing_update": f"""AFTER UPDATE ON lexique_term_domains BEGIN
  DELETE FROM {TABLE} WHERE domain_id = old.domain_id AND term_id = old.term_id;
  INSERT OR IGNORE INTO {TABLE} ({_COLUMNS}) SELECT new.domain_id, t.id, {_FROM_TERM} WHERE t.id = new.term_id;
END""",
    "lexique_domain_listing_term": f"""AFTER UPDATE OF {_TERM_KEYS} ON lexique_term BEGIN
  UPDATE {TABLE} SET published = new.status = 'published', sort_key = new.sort_key,
                     sort_key_english = new.sort_key_english, slug = new.slug
   WHERE term_id = new.id;
END""",
}


def ensure_sqlite_triggers(connection: BaseDatabaseWrapper) -> bool:
    """Create the triggers when missing and rebuild the table then; True when it did (models/triggers.py)."""
    return triggers.ensure_sqlite_triggers(connection, table=TABLE, triggers=_SQLITE_TRIGGERS, rebuild=REBUILD)


def drop_sqlite_triggers(connection: BaseDatabaseWrapper) -> None:
    triggers.drop_sqlite_triggers(connection, list(_SQLITE_TRIGGERS))


def forward(connection: BaseDatabaseWrapper) -> None:
    """Install the triggers and fill the table from what is there (the migration's step)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(POSTGRESQL_FORWARD)
    elif connection.vendor == "sqlite":
        ensure_sqlite_triggers(connection)


def backward(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(POSTGRESQL_BACKWARD)
    elif connection.vendor == "sqlite":
        drop_sqlite_triggers(connection)


def _after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if sender.label == "lexique" and connections[using].vendor == "sqlite":
        ensure_sqlite_triggers(connections[using])


post_migrate.connect(_after_migrate, dispatch_uid="lexique-domain-listing")
