"""Every role against every action, enforced by the server whatever buttons show."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.urls import reverse

from cases.services import record_status_change

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff without a role", "Editor", "Publisher", "superuser"]

# action: (method, url name, object, allowed roles)
ACTIONS = {
    "see the case list": ("get", "admin:cases_case_changelist", None),
    "open the form for a new case": ("get", "admin:cases_case_add", None),
    "open a case": ("get", "admin:cases_case_change", "draft"),
    "record a status change": ("get", "admin:cases_case_record_status_change", "draft"),
    "preview a draft": ("get", "admin:cases_case_preview", "draft"),
    "see the history of a case": ("get", "admin:cases_case_history", "draft"),
    "publish a draft": ("post", "admin:cases_case_publish", "draft"),
    "withdraw a published case": ("post", "admin:cases_case_withdraw", "published"),
    "delete a draft": ("post", "admin:cases_case_delete", "draft"),
    "delete a published case": ("post", "admin:cases_case_delete", "published"),
    "add a person": ("get", "admin:cases_person_add", None),
    "delete a person": ("post", "admin:cases_person_delete", "person"),
    "add a source": ("get", "admin:cases_source_add", None),
    "delete a source": ("post", "admin:cases_source_delete", "source"),
}

EDITOR = {
    "see the case list",
    "open the form for a new case",
    "open a case",
    "record a status change",
    "preview a draft",
    "see the history of a case",
    "add a person",
    "add a source",
}
PUBLISHER = EDITOR | {
    "publish a draft",
    "withdraw a published case",
    "delete a draft",
    "delete a person",
    "delete a source",
}
ALLOWED = {
    "anonymous": set(),
    "staff without a role": set(),
    "Editor": EDITOR,
    "Publisher": PUBLISHER,
    "superuser": PUBLISHER,  # Not even a superuser deletes a case that was public.
}


@pytest.fixture
def objects(make_case, make_person, make_source):
    source = make_source()
    draft = make_case("Draft", people=[make_person("Kulzhan Sailybaeva")], published=False)
    draft.summary = "Ready."
    draft.save()
    record_status_change(
        draft,
        participants=draft.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 30),
        headline="Charged",
        sources=[source],
    )
    return {
        "draft": draft,
        "published": make_case("Published", people=[make_person("Ainur Kurmanov")]),
        "person": make_person("Unattached person"),
        "source": make_source("Unused source"),
    }


def login(client, role):
    if role == "anonymous":
        return
    if role == "superuser":
        user = User.objects.create_superuser("root", password="x")
    else:
        user = User.objects.create_user("user", password="x", is_staff=True)
        if role in ("Editor", "Publisher"):
            user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_role_against_action(client, objects, role, action):
    method, url_name, target = ACTIONS[action]
    login(client, role)
    args = [objects[target].pk] if target else []
    url = reverse(url_name, args=args)
    data = {"post": "yes"} if "delete" in action else {}

    response = getattr(client, method)(url, data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif action in ALLOWED[role]:
        assert response.status_code in (200, 302), response.status_code
        if method == "post":
            assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_an_editor_does_not_see_buttons_they_may_not_use(client, objects):
    login(client, "Editor")
    page = client.get(reverse("admin:cases_case_change", args=[objects["draft"].pk])).text
    assert "Record a status change" in page
    assert ">Publish<" not in page
    assert "A publisher decides when this case goes public." in page


@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_editors_and_publishers_can_take_a_photo_down_at_once(
    client, make_person, role, settings, tmp_path
):
    from cases.models import Picture
    from tests.test_pictures import phone_photo, upload

    settings.MEDIA_ROOT = tmp_path
    person = make_person("Ainur Kurmanov")
    Picture.objects.create(person=person, image=upload(phone_photo()), alt_text="x", credit="y")
    login(client, role)

    response = client.get(reverse("admin:cases_person_change", args=[person.pk]))

    photo_formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "photo"
    )
    assert photo_formset.can_delete


# The migrations' code that makes the groups and their permissions is run
# again by the tests after a flush deleted them (conftest.role_group).


@pytest.mark.parametrize(
    ("migration", "function", "app"),
    [
        ("0003_editor_and_publisher_groups", "create_groups", "cases"),
        ("0005_pictures", "grant_picture_permissions", "cases"),
        ("0018_publishers_read_the_login_log", "grant", "axes"),
        ("0025_editors_and_publishers_keep_the_new_facts", "grant", "cases"),
    ],
)
def test_making_the_groups_again_leaves_the_project_s_apps_as_they_were(migration, function, app):
    """Else the next flush's post_migrate makes no permissions for the app
    again, and the editors of later tests in the session are refused (the
    browser tests after tests/test_record_integrity.py on PostgreSQL)."""
    models_module = apps.get_app_config(app).models_module
    getattr(import_module(f"cases.migrations.{migration}"), function)(apps, None)
    assert apps.get_app_config(app).models_module is models_module is not None
