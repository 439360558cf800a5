"""A publisher imports a list in Chromium: upload, preview, confirm (issue 16)."""

import re
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


def test_a_publisher_imports_a_detention_and_a_sentence_and_a_visitor_sees_who_is_held_where(
    live_server, publisher, page, new_page, tmp_path
):
    upload_file = tmp_path / "facts.csv"
    upload_file.write_text(
        "title,summary,country,name,status,status_date,sources,detention_kind,"
        "detention_start,detention_place,verdict_date,sentence,regime,sentence_start\n"
        "Strike leaders,Two strike leaders were detained.,KZ,Yerlan Example,imprisoned,"
        "2012-03,https://news.example.org/strike,pre_trial,16 September 2011,СИЗО-1 Актау,"
        "March 2012,5 лет,strict,2011-09-16\n",
        encoding="utf-8",
    )
    log_in(page, live_server, publisher, IMPORT_PATH)
    page.get_by_label("List of cases").set_input_files(str(upload_file))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("pre_trial 2011-09-16– (СИЗО-1 Актау)")
    expect(preview).to_contain_text("convicted 2012-03: imprisonment, 5 years, strict")
    assert not Case.objects.exists()

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported: 1 cases written")
    case = Case.objects.get()
    page.goto(f"{live_server.url}/admin/cases/case/{case.pk}/change/")
    page.get_by_role("button", name="Publish", exact=True).click()
    publication = page.get_by_role("region", name=re.compile("^Publication"))
    expect(publication.get_by_role("heading")).to_have_text("Publication: published")
    case.refresh_from_db()
    assert case.publication_state == "published"

    visitor = new_page()
    visitor.goto(f"{live_server.url}/people/?held=now")
    expect(visitor.locator(".people-grid")).to_contain_text("Yerlan Example")
    visitor.get_by_role("link", name="Yerlan Example").first.click()
    expect(visitor.locator("main")).to_contain_text("СИЗО-1 Актау")
    expect(visitor.locator("main")).to_contain_text("5 years")
