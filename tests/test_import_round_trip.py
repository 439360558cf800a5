"""The round trip of issue 16: every published case downloaded as CSV,
imported into an empty register, published, and downloaded again, gives the
same file; importing a download again changes nothing."""

import pytest

from cases import demo, services
from cases.imports.files import read_table
from cases.imports.mapping import Mapping
from cases.imports.plan import make_plan
from cases.imports.writes import carry_out
from cases.models import Case, Charge, Organisation, Person, Source

pytestmark = pytest.mark.django_db


def download(client) -> bytes:
    response = client.get("/cases/export.csv", {"sort": "title"})
    assert response.status_code == 200
    return b"".join(response.streaming_content if response.streaming else [response.content])


def import_file(data: bytes, user=None):
    plan = make_plan(read_table(data, "cases.csv"), Mapping())
    assert not plan.has_errors, [r.errors for r in plan.results if r.errors]
    return plan, carry_out(plan, user=user)


def empty_the_register():
    Case.objects.all().delete()
    for model in (Person, Charge, Organisation, Source):
        model.objects.all().delete()


def test_a_download_imported_into_an_empty_register_and_published_downloads_the_same(
    client, publisher
):
    demo.load()
    first = download(client)
    assert first.count(b"\n") > 2
    empty_the_register()

    _plan, cases = import_file(first, publisher)
    assert {case.publication_state for case in Case.objects.all()} == {"draft"}
    for case in cases:
        services.publish_case(case, by=publisher)

    assert download(client).decode() == first.decode()


def test_importing_a_download_into_the_register_it_came_from_changes_nothing(client):
    demo.load()
    data = download(client)
    plan = make_plan(read_table(data, "cases.csv"), Mapping())
    assert {result.action for result in plan.results} == {"unchanged"}
    assert not plan.writes_anything
