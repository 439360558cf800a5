"""The public id of a status change made unique and required.

On SQLite, altering a column remakes the table (create, copy, drop, rename),
which the triggers of migration 0002 that name cases_statuschange do not
survive: they are dropped first and created again after."""

import importlib

from django.db import migrations, models

import cases.models.fields

triggers = importlib.import_module("cases.migrations.0002_status_change_participant_in_case")


def sqlite_triggers(*, create: bool):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            create_statements, drop_statements = triggers.STATEMENTS["sqlite"]
            for statement in create_statements if create else drop_statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_status_change_public_id_values")]

    operations = [
        migrations.RunPython(sqlite_triggers(create=False), sqlite_triggers(create=True)),
        migrations.AlterField(
            model_name="statuschange",
            name="public_id",
            field=models.CharField(
                default=cases.models.fields.random_public_id,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="public id",
            ),
        ),
        migrations.RunPython(sqlite_triggers(create=True), sqlite_triggers(create=False)),
    ]
