"""The rules an edition's books are written by, kept with it: those published before have none (0)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lexique', '0016_edition_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='edition',
            name='book_rules',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='règles des livres'),
        ),
    ]
