"""A random token in the version of the public data, so that a version is never
reused after a restore (see PublicDataVersion). The existing row gets a
random token from the field's default."""

from django.db import migrations, models

import cases.models.versions


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_status_change_position"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicdataversion",
            name="token",
            field=models.CharField(
                default=cases.models.versions.new_token, max_length=32, verbose_name="token"
            ),
        ),
    ]
