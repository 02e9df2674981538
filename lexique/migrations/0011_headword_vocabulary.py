"""PostgreSQL: the vocabulary of headword words that typo correction reads (lexique/search_index.py)."""
from django.db import migrations

from lexique.search import indexes as search_index


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(search_index.VOCABULARY_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(search_index.VOCABULARY_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("lexique", "0010_domain_listing")]
    operations = [migrations.RunPython(forward, backward)]
