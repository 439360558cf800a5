"""make backup writes a copy that make restore turns back into the same data."""

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case, Charge, Person, Source

pytestmark = pytest.mark.django_db(transaction=True)


def everything():
    models = list(apps.get_app_config("cases").get_models())
    models += [apps.get_model("auth", "User"), apps.get_model("auth", "Group")]
    return serializers.serialize("json", [o for m in models for o in m.objects.order_by("pk")])


def test_a_backup_restores_to_the_same_data(tmp_path):
    call_command("load_demo", verbosity=0)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), verbosity=0)
    before = everything()

    Person.objects.create(name="Added after the backup", slug="added")
    Case.objects.filter(slug="evgeniy-zhovtis").delete()
    Source.objects.update(title="Changed")
    assert everything() != before

    call_command("restore", str(backup), interactive=False, verbosity=0)

    assert everything() == before


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(tmp_path):
    call_command("load_demo", verbosity=0)
    before = everything()
    fake = tmp_path / "notes.txt"
    fake.write_text("not a database")

    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(fake), interactive=False)
    assert everything() == before


def test_deleting_what_a_case_uses_is_refused(db):
    from django.db.models import ProtectedError

    call_command("load_demo", verbosity=0)
    with pytest.raises(ProtectedError):
        Charge.objects.get(slug="samoupravstvo").delete()
    with pytest.raises(ProtectedError):
        Source.objects.get().delete()
    with pytest.raises(ProtectedError):
        Person.objects.get(slug="ainur-kurmanov").delete()
