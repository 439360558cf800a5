"""An import confirmed after another editor changed what it would change:
the publisher is told, shown the new preview, and nothing is overwritten
until they confirm again (issue 16)."""

from playwright.sync_api import expect

from cases.imports.files import read_table
from cases.imports.mapping import load_mapping
from cases.imports.plan import make_plan
from cases.imports.writes import carry_out
from cases.models import Case

from .test_editorial_workflow import case_admin_path, log_in

IMPORT_PATH = "/admin/cases/case/import/"
HEADER = "external_id,title,country,name,status,status_date,sources\n"
ROW = "X-1,{title},KZ,Yerlan Example,charged,2014-04-14,https://news.example.org/excel\n"


def test_a_confirmation_after_another_editors_edit_is_told_and_overwrites_nothing(
    live_server, publisher, editor, new_page, tmp_path
):
    first = (HEADER + ROW.format(title="Excel case")).encode()
    carry_out(make_plan(read_table(first, "list.csv"), load_mapping(None)), user=publisher)
    case = Case.objects.get()
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(HEADER + ROW.format(title='"Excel case, corrected"'), encoding="utf-8")

    pavel = log_in(new_page(), live_server, publisher, IMPORT_PATH)
    pavel.get_by_label("List of cases").set_input_files(str(corrected))
    pavel.get_by_role("button", name="Preview").click()
    expect(pavel.locator("#import-preview")).to_contain_text("Excel case, corrected")

    amina = log_in(new_page(), live_server, editor, case_admin_path(case))
    amina.get_by_label("Title (English)").fill("Excel case, as Amina wrote it")
    amina.get_by_role("button", name="Save", exact=True).click()
    expect(amina.locator(".messagelist")).to_contain_text("was changed successfully")

    pavel.get_by_role("button", name="Confirm the import").click()
    expect(pavel.locator("#import-changed")).to_contain_text(
        "The register has changed since the preview (another editor's edit, or another "
        "import): what line 2 would do is different now. Nothing was written."
    )
    expect(pavel.locator("#import-preview del")).to_have_text("Excel case, as Amina wrote it")
    case.refresh_from_db()
    assert case.title == "Excel case, as Amina wrote it"

    # Seen, and confirmed again: now the file's title is written.
    pavel.get_by_role("button", name="Confirm the import").click()
    expect(pavel.locator(".messagelist")).to_contain_text("Imported: 1 cases written")
    case.refresh_from_db()
    assert case.title == "Excel case, corrected"
