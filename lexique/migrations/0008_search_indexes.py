"""Search on indexes (PostgreSQL's stored search document and trigram indexes, SQLite's FTS5 table)
and partial indexes of the published set in browsing order."""
import django.contrib.postgres.search
from django.db import migrations, models

from lexique.search import indexes as search_index


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(search_index.POSTGRESQL_FORWARD)
    elif connection.vendor == "sqlite":
        search_index.ensure_sqlite_index(connection)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(search_index.POSTGRESQL_BACKWARD)
    elif connection.vendor == "sqlite":
        search_index.drop_sqlite_index(connection)


class Migration(migrations.Migration):
    dependencies = [("lexique", "0007_discussion_versions")]
    operations = [
        migrations.AddField(
            model_name="term",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False),
        ),
        migrations.RunPython(forward, backward),
        migrations.AddIndex(
            model_name="term",
            index=models.Index(condition=models.Q(("status", "published")), fields=["sort_key", "slug"],
                               name="term_published_order"),
        ),
        migrations.AddIndex(
            model_name="term",
            index=models.Index(condition=models.Q(("status", "published")), fields=["initial", "sort_key", "slug"],
                               name="term_published_letter"),
        ),
        migrations.AddIndex(
            model_name="term",
            index=models.Index(condition=models.Q(("status", "published")),
                               fields=["initial_english", "sort_key_english", "slug"], name="term_published_letter_en"),
        ),
    ]
