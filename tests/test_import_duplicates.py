"""Possible duplicates in an imported list: of someone the register holds,
found among many people who share a common name, and of another row of the
same file under another id."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.imports import duplicates
from cases.imports.files import read_table
from cases.imports.mapping import load_mapping
from cases.imports.plan import make_plan

pytestmark = pytest.mark.django_db


def plan_of(text: str):
    return make_plan(read_table(text.encode(), "list.csv"), load_mapping(None))


def test_a_duplicate_is_found_among_many_people_who_share_its_common_words(
    make_person, monkeypatch
):
    # Past COMMON people, a word alone makes no one a candidate.
    monkeypatch.setattr(duplicates, "COMMON", 3)
    for surname in ("Serikov", "Abenov", "Nurlanov", "Kurmanova"):
        make_person(name=f"Ainur {surname}")
    for given in ("Marat", "Timur", "Dana", "Yerlan"):
        make_person(name=f"{given} Kurmanov")
    known = make_person(name="Ainur Kurmanov")
    spelt_otherwise = make_person(name="Esenbek Ukteshbaev")
    plan = plan_of(
        "external_id,title,country,name\n"
        "D:1,One,KZ,Kurmanov Ainur\n"
        "D:2,Two,KZ,Yesenbek Ukteshbayev\n"
    )
    first, second = (result.duplicates for result in plan.results)
    assert [c.pk for c in first][:1] == [known.pk] and first[0].score == 100
    assert "Ainur Serikov" not in [c.name for c in first]
    assert [c.pk for c in second] == [spelt_otherwise.pk]


def test_two_rows_of_one_file_naming_one_person_under_two_ids_are_flagged_with_the_line():
    plan = plan_of(
        "external_id,case_id,title,country,name,name_original\n"
        "F:1,C:1,First case,KZ,Yesenbek Ukteshbayev,\n"
        "F:2,C:2,Second case,KZ,Esenbek Uktešbaev,Есенбек Уктешбаев\n"
        "F:3,C:3,Third case,KZ,Dana Example,\n"
    )
    first, second, third = plan.results
    assert first.duplicates == [] and third.duplicates == []
    [candidate] = second.duplicates
    assert (candidate.pk, candidate.line, candidate.name) == (None, 2, "Yesenbek Ukteshbayev")
    assert candidate.score >= duplicates.THRESHOLD
    assert "spelt" in candidate.why
    assert plan.totals["duplicate"] == 1 and not plan.has_errors


def test_the_preview_says_which_line_of_the_file_a_row_may_repeat(client, publisher):
    upload = SimpleUploadedFile(
        "list.csv",
        "external_id,case_id,title,country,name,name_original\n"
        "F:1,C:1,First case,KZ,Yesenbek Ukteshbayev,\n"
        "F:2,C:2,Second case,KZ,Esenbek Uktešbaev,Есенбек Уктешбаев\n".encode(),
    )
    preview = client.post(reverse("admin:cases_case_import"), {"file": upload})
    html = preview.content.decode()
    assert "Possible duplicate of Yesenbek Ukteshbayev on line 2 of this file" in html
    # Nothing to tick: the other row is not in the register yet.
    assert 'name="link:' not in html
    assert "Confirm the import" in html
