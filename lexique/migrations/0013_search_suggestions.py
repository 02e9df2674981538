"""Suggestions: the keys readers type (lexique/search/suggestions.py), their indexes, filled from the terms."""
from django.db import migrations, models

from lexique.search import indexes as search_index
from lexique.search import suggestions


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in search_index.SUGGESTION_INDEXES.get(vendor, []):
        schema_editor.execute(sql)
    suggestions.rebuild(apps.get_model("lexique", "Suggestion"), apps.get_model("lexique", "Term"),
                        using=schema_editor.connection.alias)


def backward(apps, schema_editor):
    for sql in search_index.SUGGESTION_INDEXES_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("lexique", "0012_edition_files")]
    operations = [
        migrations.CreateModel(
            name="Suggestion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=100)),
                ("term_id", models.BigIntegerField()),
                ("lang", models.CharField(max_length=2)),
                ("synonym", models.BooleanField(default=False)),
                ("word", models.PositiveSmallIntegerField(default=0)),
            ],
            options={"indexes": [models.Index(fields=["term_id"], name="suggestion_term")]},
        ),
        migrations.RunPython(forward, backward),
    ]
