"""The Editor and Publisher groups.

Editors add and change everything in a case but delete nothing and publish
nothing; publishers may also delete and publish. Superusers manage accounts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "person",
    "relationship",
    "organisation",
    "membership",
    "charge",
    "source",
    "case",
    "caseparticipant",
    "casecharge",
    "caseorganisation",
    "casesource",
    "calltoactiontarget",
    "statuschange",
    "statuschangeparticipant",
    "statuschangesource",
]
EDITOR = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
PUBLISHER = EDITOR + [f"delete_{model}" for model in MODELS] + ["publish_case"]
GROUPS = {"Editor": EDITOR, "Publisher": PUBLISHER}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure those of this app exist before the groups refer to them.
    app_config = apps.get_app_config("cases")
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
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)
        )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0002_status_change_participant_in_case"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
