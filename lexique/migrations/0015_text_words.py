"""PostgreSQL: the words of the search texts and an exact index of each text's words (lexique/search/indexes.py)."""
from django.db import migrations

from lexique.search import indexes as search_index


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(search_index.TEXT_WORDS_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(search_index.TEXT_WORDS_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("lexique", "0014_published_figures")]
    operations = [migrations.RunPython(forward, backward)]
