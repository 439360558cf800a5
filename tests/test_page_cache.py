"""Public pages are kept in the cache until the next edit, for visitors only."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases import services

from .conftest import cited

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True
    settings.ALLOWED_HOSTS = ["testserver", "cases.example.org"]


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Russian leaves Russian active in this thread: not for the next test."""
    yield
    translation.activate("en")


@pytest.fixture
def smk(make_case, make_person):
    return make_case("Socialist Movement leaders", slug="smk", people=[make_person("Ainur")])


def record(case, status):
    services.record_status_change(
        case,
        participants=case.participants.all(),
        status=status,
        date=datetime.date(2011, 9, 14),
        headline=f"Now {status}",
        sources=[cited()],
    )


PAGES = ["/", "/cases/", "/cases/?country=KZ", "/cases/smk/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_seen_again_costs_one_query(client, smk, path, django_assert_num_queries):
    first = client.get(path)

    with django_assert_num_queries(1):  # the version of the public data
        again = client.get(path)

    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Security-Policy"]  # the middleware still runs


@pytest.mark.parametrize("path", PAGES)
def test_a_recorded_status_change_is_on_the_next_page(client, smk, path):
    assert "Now suspect" not in client.get(path).text
    record(smk, "suspect")

    assert "Suspect" in client.get(path).text


def test_a_withdrawn_case_is_gone_on_the_next_request(client, smk):
    publisher = User.objects.create_user("publisher", password="x", is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publisher"))
    assert client.get("/cases/smk/").status_code == 200

    services.withdraw_case(smk, by=publisher)

    assert client.get("/cases/smk/").status_code == 404
    assert "Socialist Movement leaders" not in client.get("/cases/").text


def test_editors_with_a_session_are_served_fresh_pages(client, smk, django_assert_num_queries):
    client.get("/cases/smk/")  # kept for visitors
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    smk.title = "Renamed without raising the version"
    smk.save()

    assert "Renamed without raising the version" in client.get("/cases/smk/").text


def test_errors_are_not_kept(client, smk, django_assert_num_queries):
    client.get("/cases/no-such-case/")
    client.get("/cases/?country=XX")
    client.get("/cases/?page=99")

    with django_assert_num_queries(2):  # the version, and the case again
        assert client.get("/cases/no-such-case/").status_code == 404
    assert client.get("/cases/?country=XX").status_code == 400
    assert client.get("/cases/?page=99").status_code == 404


def test_each_language_and_host_has_its_own_page(client, smk):
    english = client.get("/cases/smk/")
    russian = client.get("/ru/cases/smk/")
    english_asked_in_russian = client.get("/cases/smk/", headers={"accept-language": "ru"})
    elsewhere = client.get("/cases/smk/", headers={"host": "cases.example.org"})

    assert english.content != russian.content
    assert 'lang="ru"' in russian.text
    assert english_asked_in_russian.content == english.content
    assert "http://cases.example.org/cases/smk/" in elsewhere.text
    assert "http://cases.example.org/" not in client.get("/cases/smk/").text


def test_an_edit_in_the_admin_is_on_the_next_page(client, smk):
    client.get("/cases/smk/")
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    other = type(client)()
    other.force_login(editor)
    url = reverse("admin:cases_case_change", args=[smk.pk])
    page = other.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in inline.formset.forms:
            for field in inline_form:
                if field.value() not in (None, False):
                    data[field.html_name] = field.value()
    data["title"] = "Leaders of the Socialist Movement"

    assert other.post(url, data).status_code == 302
    assert "Leaders of the Socialist Movement" in client.get("/cases/smk/").text


def test_it_can_be_turned_off(client, smk, settings):
    settings.PUBLIC_PAGE_CACHE = False

    with CaptureQueriesContext(connection) as first:
        client.get("/cases/smk/")
    with CaptureQueriesContext(connection) as again:
        client.get("/cases/smk/")

    assert len(again) == len(first) > 1
