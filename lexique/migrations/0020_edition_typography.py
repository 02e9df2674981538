"""An edition's typographic convention, kept with it: those published before were set by France's."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lexique', '0019_account_emails'),
    ]

    operations = [
        migrations.AddField(
            model_name='edition',
            name='typography',
            field=models.CharField(default='france', max_length=10, verbose_name='typographie'),
        ),
    ]
