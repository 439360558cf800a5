"""The version of the public data: the key of what is cached of it (cases.facets).

One row, raised by every edit of what the public sees; see PublicDataVersion.
"""

from django.db import migrations, models


def create_the_row(apps, schema_editor):
    apps.get_model("cases", "PublicDataVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_indexes_for_the_case_list")]

    operations = [
        migrations.CreateModel(
            name="PublicDataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0, verbose_name="number")),
            ],
            options={
                "verbose_name": "version of the public data",
                "verbose_name_plural": "versions of the public data",
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
