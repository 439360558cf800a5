"""make backup writes a copy that make restore turns back into the same data."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from cases import services
from cases.models import Case, Charge, Person, PublicationState, PublicDataVersion, Source

pytestmark = pytest.mark.django_db(transaction=True)


def everything():
    """Every row, but the version of the public data, which a restore renews."""
    models = [
        model
        for model in apps.get_app_config("cases").get_models()
        if model is not PublicDataVersion
    ]
    models += [apps.get_model("auth", "User"), apps.get_model("auth", "Group")]
    return serializers.serialize("json", [o for m in models for o in m.objects.order_by("pk")])


def test_a_backup_restores_to_the_same_data(tmp_path):
    call_command("load_demo", verbosity=0)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), verbosity=0)
    before = everything()
    version_at_backup = PublicDataVersion.current()

    Person.objects.create(name="Added after the backup", slug="added")
    Case.objects.filter(slug="evgeniy-zhovtis").delete()
    Source.objects.update(title="Changed")
    assert everything() != before

    call_command("restore", str(backup), interactive=False, verbosity=0)

    assert everything() == before
    assert PublicDataVersion.current() != version_at_backup


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


@pytest.fixture
def publisher():
    return User.objects.create_user("publisher", password="x", is_staff=True)


def test_a_case_withdrawn_in_the_restored_backup_is_not_served_from_the_page_cache(
    tmp_path, settings, client, make_case, make_person, publisher
):
    """The story of issue 13: backed up at version N while withdrawn; published
    again and its page cached at N+1; the backup restored (version N again);
    the next edit raised the number to N+1, and the page came from the cache."""
    settings.PUBLIC_PAGE_CACHE = True
    smk = make_case("Socialist Movement leaders", slug="smk", summary="Arrests.")
    make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    smk.participants.create(person=Person.objects.get(slug="ainur-kurmanov"), role="accused")
    services.withdraw_case(smk, by=publisher)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), verbosity=0)

    services.publish_case(smk, by=publisher)
    assert client.get("/cases/smk/").status_code == 200  # and now in the cache

    call_command("restore", str(backup), interactive=False, verbosity=0)
    assert Case.objects.get(slug="smk").publication_state == PublicationState.WITHDRAWN
    assert client.get("/cases/smk/").status_code == 404
    make_case("Another case")
    services.public_data_changed()  # an editor's next edit

    assert client.get("/cases/smk/").status_code == 404
    assert client.get("/api/v1/cases/smk/").status_code == 404
    assert "Socialist Movement leaders" not in client.get("/cases/").text


def test_data_loaded_with_loaddata_is_not_hidden_by_the_page_cache(
    tmp_path, settings, client, make_case
):
    settings.PUBLIC_PAGE_CACHE = True
    smk = make_case("Socialist Movement leaders", slug="smk")
    assert client.get("/cases/smk/").status_code == 200  # and now in the cache
    smk.publication_state = PublicationState.WITHDRAWN  # in the fixture, not saved
    fixture = tmp_path / "withdrawn.json"
    fixture.write_text(serializers.serialize("json", [smk]))

    call_command("loaddata", str(fixture), verbosity=0)

    assert client.get("/cases/smk/").status_code == 404
