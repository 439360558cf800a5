"""A random public id for every existing status change; each of its past
versions in the history gets the same one, so that restoring a past version
keeps the entry's public address."""

from django.db import migrations

from cases.models.fields import random_public_id

BATCH = 2000


def fill(apps, schema_editor):
    StatusChange = apps.get_model("cases", "StatusChange")
    HistoricalStatusChange = apps.get_model("cases", "HistoricalStatusChange")
    public_ids = {}
    changes = []
    for change in StatusChange.objects.only("pk").iterator(chunk_size=BATCH):
        change.public_id = public_ids[change.pk] = random_public_id()
        changes.append(change)
    StatusChange.objects.bulk_update(changes, ["public_id"], batch_size=BATCH)
    versions = []
    for version in HistoricalStatusChange.objects.only("history_id", "id").iterator(
        chunk_size=BATCH
    ):
        version.public_id = public_ids.get(version.id) or random_public_id()
        versions.append(version)
    HistoricalStatusChange.objects.bulk_update(versions, ["public_id"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_status_change_public_id")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
