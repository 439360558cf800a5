"""The Editor and Publisher groups keep places of detention, detentions,
verdicts, recognitions and the categories of cases, as they keep the rest.

Editors add and change them and delete nothing, as elsewhere; they put cases
into categories but the list of categories is the publishers' (a category is
a public filter, and a new one a decision about what the site counts).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "placeofdetention",
    "placeofdetentionsource",
    "detention",
    "detentionsource",
    "verdict",
    "verdictcharge",
    "verdictsource",
    "recognition",
    "casecategory",
]
EDITOR = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")] + [
    "view_category"
]
PUBLISHER = (
    EDITOR
    + [f"delete_{model}" for model in MODELS]
    + ["add_category", "change_category", "delete_category"]
)
GROUPS = {"Editor": EDITOR, "Publisher": PUBLISHER}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)


def grant(apps, schema_editor):
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
    for name, codenames in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0024_places_of_detention_detentions_verdicts_recognitions_categories")
    ]

    operations = [migrations.RunPython(grant, revoke)]
