"""A random public id for each status change (anchors, feeds, the API), so that
public ids do not count the hidden entries. Three steps, as Django's guide to
adding a unique field has it: the column, then a value for each row (0013),
then the unique constraint (0014)."""

from django.db import migrations, models

import cases.models.fields


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_public_data_version_token")]

    operations = [
        migrations.AddField(
            model_name="historicalstatuschange",
            name="public_id",
            field=models.CharField(
                db_index=True,
                default=cases.models.fields.random_public_id,
                editable=False,
                max_length=16,
                verbose_name="public id",
            ),
        ),
        migrations.AddField(
            model_name="statuschange",
            name="public_id",
            field=models.CharField(
                editable=False, max_length=16, null=True, verbose_name="public id"
            ),
        ),
    ]
