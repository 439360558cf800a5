"""Publishers may read the log of logins (django-axes): who logged in or
failed to, when and from which address.

Editors are targets; the publishers who manage them should see at once when
someone guesses at an account. Reading only: nobody edits the log in the
admin, and nobody but a superuser deletes it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_accessattempt", "view_accesslog", "view_accessfailurelog"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run.
    app_config = apps.get_app_config("axes")
    # Given the project's own registry (the tests make the groups again after a
    # flush), leave its app as it was: without its models module, the flush's
    # post_migrate would no longer make the app's permissions again.
    models_module = getattr(app_config, "models_module", None)  # none on a migration's stub
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Publisher"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Publisher"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_slugs_made_from_names_when_left_empty"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
