"""A publisher imports a list in Chromium: upload, preview, confirm (issue 16)."""

from pathlib import Path

from playwright.sync_api import expect

from cases.models import Case, Person

from .test_editorial_workflow import log_in

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
IMPORT_PATH = "/admin/cases/case/import/"


def upload(page, name):
    page.get_by_label("List of cases").set_input_files(str(FIXTURES / name))
    page.get_by_role("button", name="Preview").click()


def test_a_publisher_uploads_a_workbook_sees_the_preview_confirms_and_the_drafts_exist(
    live_server, publisher, page
):
    log_in(page, live_server, publisher, "/admin/cases/case/")
    page.get_by_role("link", name="Import cases").click()
    upload(page, "list.xlsx")

    expect(page.locator("#import-totals")).to_contain_text("1 to create")
    expect(page.locator("#import-preview")).to_contain_text("Yerlan Example")
    assert not Case.objects.exists()

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported: 1 cases written, as drafts.")
    case = Case.objects.get(title="Excel case")
    assert case.publication_state == "draft"
    assert case.current_status == "charged"


def test_a_bad_file_shows_its_errors_per_row_and_writes_nothing(live_server, publisher, page):
    log_in(page, live_server, publisher, IMPORT_PATH)
    upload(page, "messy.csv")

    expect(page.locator(".import-row-error")).to_contain_text(
        "Column status_date: “1952-08021” is not a date"
    )
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(0)
    assert not Case.objects.exists() and not Person.objects.exists()
