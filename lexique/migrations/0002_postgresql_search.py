"""PostgreSQL search: unaccent and pg_trgm, accent-blind text search configurations, trigram indexes."""
from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'lexique_fr') THEN
    CREATE TEXT SEARCH CONFIGURATION lexique_fr (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION lexique_fr
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'lexique_en') THEN
    CREATE TEXT SEARCH CONFIGURATION lexique_en (COPY = english);
    ALTER TEXT SEARCH CONFIGURATION lexique_en
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
  END IF;
END $$;
CREATE INDEX IF NOT EXISTS lexique_term_search_text_trgm ON lexique_term USING gin (search_text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS lexique_term_sort_key_trgm ON lexique_term USING gin (sort_key gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS lexique_term_sort_key_trgm;
DROP INDEX IF EXISTS lexique_term_search_text_trgm;
DROP TEXT SEARCH CONFIGURATION IF EXISTS lexique_en;
DROP TEXT SEARCH CONFIGURATION IF EXISTS lexique_fr;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("lexique", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
