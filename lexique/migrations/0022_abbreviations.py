"""Abbreviations, acronyms and initialisms filed under their own letter (lexique/search/suggestions.py), filled
from the published terms, and counted per letter by triggers (lexique/publishing/figures.py)."""
from django.db import migrations, models

from lexique.publishing import figures
from lexique.search import suggestions


def forward(apps, schema_editor):
    suggestions.rebuild_abbreviations(apps.get_model("lexique", "Abbreviation"), apps.get_model("lexique", "Term"),
                                      using=schema_editor.connection.alias)
    # Their counts per language and letter, kept by triggers as the other figures are.
    figures.forward(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('lexique', '0021_grammar_and_regions'),
    ]

    operations = [
        migrations.CreateModel(
            name='Abbreviation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term_id', models.BigIntegerField()),
                ('lang', models.CharField(max_length=2)),
                ('text', models.CharField(max_length=200)),
                ('kind', models.CharField(max_length=20)),
                ('key', models.CharField(max_length=220)),
                ('initial', models.CharField(max_length=1)),
            ],
            options={
                'indexes': [models.Index(fields=['lang', 'initial', 'key', 'term_id'], name='abbreviation_letter'), models.Index(fields=['term_id'], name='abbreviation_term')],
            },
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
