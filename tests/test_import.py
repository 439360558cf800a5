"""Importing lists (issue 16): messy files read right, a bad file writes
nothing, a second import changes nothing, the admin page previews before it
writes. Fixture files are in tests/fixtures/import/ (no real person's data)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from cases.imports.files import read_table
from cases.imports.mapping import load_mapping
from cases.imports.plan import make_plan
from cases.imports.writes import carry_out
from cases.models import Case, ExternalId, Person, PublicDataVersion

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "import"


def plan_of(name, mapping=None):
    mapping = load_mapping((FIXTURES / mapping).read_text("utf-8") if mapping else None)
    return make_plan(read_table((FIXTURES / name).read_bytes(), name), mapping)


def test_every_date_form_of_the_messy_list_is_read_at_its_precision_and_the_typo_is_an_error():
    plan = plan_of("messy.csv")
    by_line = {result.line: result for result in plan.results}
    assert by_line[2].action == "create"
    assert "pre_trial_detention (2013-11-22)" in [c.new for c in by_line[2].changes]
    assert "charged (2014-07-23)" in [c.new for c in by_line[3].changes]
    assert "sentenced (2007-03-13)" in [c.new for c in by_line[4].changes]
    assert "imprisoned (2014-04-14)" in [c.new for c in by_line[6].changes]
    assert by_line[7].action == "error"
    assert by_line[7].errors == [
        ("status_date", "“1952-08021” is not a date: write it as 2011-09-14, 2011-09 or 2011.")
    ]


def test_a_file_with_one_bad_row_writes_nothing(django_user_model):
    plan = plan_of("messy.csv")
    with pytest.raises(CommandError):
        call_command("import_cases", str(FIXTURES / "messy.csv"))
    assert not Case.objects.exists() and not Person.objects.exists()
    assert plan.has_errors


def test_columns_the_register_cannot_hold_are_reported_per_row_and_cjk_names_kept():
    plan = plan_of("messy.csv")
    by_line = {result.line: result for result in plan.results}
    assert (
        "column detention_place not imported: a detention needs the date it began "
        "(detention_start)." in by_line[2].notes
    )
    assert by_line[5].person == "王小明"


@pytest.mark.parametrize(
    "name", ["russian_list.csv", "russian_list_bom.csv", "russian_list_cp1251.csv"]
)
def test_a_russian_list_in_any_encoding_is_read_through_its_mapping(name):
    plan = plan_of(name, "surname_first.toml")
    assert not plan.has_errors, plan.results
    carry_out(plan, user=None)
    person = Person.objects.get()
    assert person.name == "Aynur Kurmanov"
    assert person.name_original == "Курманов Айнур"
    case = Case.objects.get()
    assert case.current_status == "pre_trial_detention"
    assert case.charges.get().article == "327 ч. 1"
    assert ExternalId.objects.filter(value="RU-LIST:1", person=person).exists()


def test_an_excel_workbook_is_imported_with_its_dates():
    carry_out(plan_of("list.xlsx"), user=None)
    case = Case.objects.get(title="Excel case")
    assert case.last_status_change_on.isoformat() == "2014-04-14"
    assert case.publication_state == "draft"


def test_eight_spellings_of_one_prison_without_dates_are_reported_on_every_row():
    plan = plan_of("eight_spellings.csv")
    assert len(plan.results) == 8
    assert all(any("detention_place" in n for n in r.notes) for r in plan.results)


def test_a_second_import_changes_nothing_and_a_corrected_file_changes_only_what_was_corrected(
    tmp_path, publisher
):
    carry_out(plan_of("list.xlsx"), user=publisher)
    again = plan_of("list.xlsx")
    assert [r.action for r in again.results] == ["unchanged"]
    corrected = tmp_path / "list.csv"
    corrected.write_text(
        "external_id,title,country,name,status,status_date,sources\n"
        'X-1,"Excel case, corrected",KZ,Yerlan Example,charged,2014-04-14,'
        "https://news.example.org/excel\n",
        encoding="utf-8",
    )
    plan = make_plan(read_table(corrected.read_bytes(), "list.csv"), load_mapping(None))
    [result] = plan.results
    assert result.action == "update"
    assert [(c.what, c.old, c.new) for c in result.changes] == [
        ("title", "Excel case", "Excel case, corrected")
    ]
    carry_out(plan, user=publisher)
    assert Case.objects.get().title == "Excel case, corrected"
    assert Person.objects.count() == 1


def test_the_import_is_recorded_in_the_history_as_the_importer_and_raises_the_version_once(
    publisher,
):
    before = PublicDataVersion.objects.get(pk=1).number
    carry_out(plan_of("list.xlsx"), user=publisher)
    assert PublicDataVersion.objects.get(pk=1).number == before + 1
    authors = {v.history_user for v in get_history_model_for_model(Case).objects.all()}
    assert authors == {publisher}


def test_a_known_person_spelt_otherwise_is_offered_as_a_possible_duplicate(make_person):
    known = make_person(name="Esenbek Ukteshbaev")
    plan = plan_of("messy.csv")
    [candidate] = plan.results[0].duplicates
    assert candidate.pk == known.pk and candidate.score >= 88


def test_the_dry_run_writes_nothing(capsys):
    call_command("import_cases", str(FIXTURES / "list.xlsx"), "--dry-run")
    assert "1 create" in capsys.readouterr().out
    assert not Case.objects.exists()


def test_an_editor_cannot_open_the_import_page(client, editor):
    assert client.get(reverse("admin:cases_case_import")).status_code == 403


def test_a_publisher_previews_an_upload_and_nothing_is_written_until_confirmed(client, publisher):
    with open(FIXTURES / "list.xlsx", "rb") as upload:
        preview = client.post(reverse("admin:cases_case_import"), {"file": upload})
    assert preview.status_code == 200
    assert "Yerlan Example" in preview.content.decode()
    assert not Case.objects.exists()
    payload = preview.context["payload"]
    confirmed = client.post(reverse("admin:cases_case_import"), {"payload": payload})
    assert confirmed.status_code == 302
    assert Case.objects.get().title == "Excel case"


def test_a_bad_file_shows_its_errors_per_row_on_the_page_and_offers_no_confirmation(
    client, publisher
):
    with open(FIXTURES / "messy.csv", "rb") as upload:
        preview = client.post(reverse("admin:cases_case_import"), {"file": upload})
    html = preview.content.decode()
    assert "Column status_date: “1952-08021” is not a date" in html
    assert "Confirm the import" not in html
    assert not Case.objects.exists()


def test_a_publisher_links_a_possible_duplicate_in_the_preview_and_no_new_person_is_made(
    client, publisher, make_person
):
    known = make_person(name="Esenbek Ukteshbaev")
    upload = SimpleUploadedFile(
        "list.csv",
        b"external_id,title,country,name,status,status_date,sources\n"
        b"L-1,Strike leaders,KZ,Yesenbek Ukteshbayev,charged,2011-09,"
        b"https://news.example.org/strike\n",
    )
    preview = client.post(reverse("admin:cases_case_import"), {"file": upload})
    [candidate] = preview.context["plan"].results[0].duplicates
    assert candidate.pk == known.pk
    assert f'name="link:{candidate.for_key}" value="{known.pk}"' in preview.content.decode()

    client.post(
        reverse("admin:cases_case_import"),
        {"payload": preview.context["payload"], f"link:{candidate.for_key}": str(known.pk)},
    )
    assert Person.objects.get() == known
    assert Case.objects.get().people.get() == known
    assert "Yesenbek Ukteshbayev" in Person.objects.get().other_names


def test_a_publisher_publishes_imported_drafts_in_bulk_and_is_told_what_each_unready_one_lacks(
    client, publisher
):
    carry_out(plan_of("list.xlsx"), user=publisher)
    carry_out(plan_of("russian_list.csv", "surname_first.toml"), user=publisher)
    Case.objects.filter(title="Excel case").update(summary="A summary.")
    response = client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "publish_selected", "_selected_action": [c.pk for c in Case.objects.all()]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert Case.objects.get(title="Excel case").publication_state == "published"
    assert Case.objects.exclude(title="Excel case").get().publication_state == "draft"
    assert any("was not published: The case has no summary." in m for m in shown)
    assert "1 case published." in shown


def test_an_editor_is_not_offered_the_bulk_publication(client, editor):
    response = client.get(reverse("admin:cases_case_changelist"))
    assert "publish_selected" not in response.content.decode()
