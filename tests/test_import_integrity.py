"""The register changing under an import (issue 16): a confirmation made
after another import is told and writes nothing; two imports of one list at
the same moment make its cases and people once."""

import contextlib
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases.imports import writes
from cases.imports.files import read_table
from cases.imports.mapping import load_mapping
from cases.imports.plan import make_plan
from cases.models import Case, Person

LIST = (
    "external_id,case_id,title,country,name,status,status_date,sources\n"
    "S:1,S,Strike leaders,KZ,Esenbek Ukteshbaev,charged,2011-09,https://news.example.org/s\n"
    "S:2,S,Strike leaders,KZ,Ainur Kurmanov,charged,2011-09,https://news.example.org/s\n"
)


@pytest.mark.django_db
def test_a_confirmation_after_another_import_of_the_list_is_told_and_writes_nothing(
    client, publisher
):
    upload = SimpleUploadedFile("list.csv", LIST.encode())
    preview = client.post(reverse("admin:cases_case_import"), {"file": upload})
    assert preview.context["totals"]["create"] == 2
    plan = make_plan(read_table(LIST.encode(), "list.csv"), load_mapping(None))
    writes.carry_out(plan, user=publisher)

    confirmed = client.post(
        reverse("admin:cases_case_import"), {"payload": preview.context["payload"]}
    )
    assert confirmed.status_code == 200
    assert confirmed.context["changed"] == (
        "The register has changed since the preview (another editor's edit, or another "
        "import): what lines 2, 3 would do is different now. Nothing was written. Check "
        "the preview below and confirm again."
    )
    assert confirmed.context["totals"]["unchanged"] == 2
    assert Case.objects.count() == 1 and Person.objects.count() == 2


needs_row_locks = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="races are tested on PostgreSQL, whose locks the import relies on",
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_list_at_the_same_moment_make_its_case_and_people_once(
    tmp_path, monkeypatch
):
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    # Each import, once planned, waits (up to 3 s) for the other to have
    # planned too: without the lock both would plan an empty register, and
    # the second be refused by the database (the list's ids are unique).
    both_planned = threading.Barrier(2)
    carry_out = writes.carry_out

    def carry_out_once_both_planned(plan, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_planned.wait(timeout=3)
        return carry_out(plan, **kwargs)

    monkeypatch.setattr(
        "cases.management.commands.import_cases.carry_out", carry_out_once_both_planned
    )
    errors = []

    def run():
        try:
            call_command("import_cases", str(path), "--quiet-rows")
        except BaseException as error:  # noqa: BLE001 (reported in the main thread)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Case.objects.count() == 1
    assert sorted(Person.objects.values_list("name", flat=True)) == [
        "Ainur Kurmanov",
        "Esenbek Ukteshbaev",
    ]
