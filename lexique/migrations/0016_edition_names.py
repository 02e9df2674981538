"""The site's name and title an edition was published under, kept with it (its files print them)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lexique', '0015_text_words'),
    ]

    operations = [
        migrations.AddField(
            model_name='edition',
            name='names',
            field=models.JSONField(blank=True, default=dict, verbose_name='noms du lexique'),
        ),
    ]
