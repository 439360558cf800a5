"""Editors may delete a picture.

People in these photos may be at risk: whoever notices that a photo must go
should be able to take it down at once, without waiting for a publisher.
Editors still delete nothing else.
"""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="cases", codename="delete_picture")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="cases", codename="delete_picture")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_last_status_change_precision")]

    operations = [migrations.RunPython(grant, revoke)]
