"""The digest of each file of an edition, recorded when the file is first built."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lexique', '0011_headword_vocabulary'),
    ]

    operations = [
        migrations.CreateModel(
            name='EditionFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='fichier')),
                ('sha256', models.CharField(max_length=64, verbose_name='empreinte SHA-256')),
                ('size', models.PositiveBigIntegerField(verbose_name='taille en octets')),
                ('built_at', models.DateTimeField(verbose_name='fabriqué le')),
                ('edition', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='lexique.edition')),
            ],
            options={
                'verbose_name': "fichier d'une édition",
                'verbose_name_plural': "fichiers d'une édition",
                'ordering': ['edition', 'name'],
                'constraints': [models.UniqueConstraint(fields=('edition', 'name'), name='unique_edition_file')],
            },
        ),
    ]
