"""An editor writes a case's summary in Russian beside the English; readers
whose browsers ask for Russian or Kazakh read it in their language, or the
English marked as English with a note that it is not translated yet."""

import re

from playwright.sync_api import expect

from cases.models import Case

from .test_editorial_workflow import case_admin_path, log_in, messages

CASE_PATH = "/cases/natalia-sokolova/"
SUMMARY_EN = re.compile(r"^Natalia Sokolova, the oil workers' lawyer, was in prison")
SUMMARY_RU = "Наталья Соколова, адвокат нефтяников, была в заключении в сентябре 2011 года."


def test_an_editor_fills_the_russian_summary_and_a_russian_reader_reads_it(
    live_server, demo, editor, new_page, browser_problems
):
    case = Case.objects.get(slug="natalia-sokolova")
    admin = log_in(new_page(), live_server, editor, case_admin_path(case))
    english = admin.get_by_label("Summary (English)")
    russian = admin.get_by_label("Summary (Russian)")
    kazakh = admin.get_by_label("Summary (Kazakh)")
    # Side by side: the three boxes start at the same height on the page.
    tops = {round(box.bounding_box()["y"]) for box in (english, russian, kazakh)}
    assert len(tops) == 1, tops

    russian.fill(SUMMARY_RU)
    kazakh.fill("")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(messages(admin)).to_contain_text("was changed successfully")

    reader = new_page(locale="ru-RU")
    reader.goto(live_server.url + "/ru" + CASE_PATH)
    expect(reader.get_by_text(SUMMARY_RU)).to_be_visible()
    expect(reader.get_by_text(SUMMARY_EN)).to_have_count(0)

    kazakh_reader = new_page(locale="kk-KZ")
    kazakh_reader.goto(live_server.url + "/kk" + CASE_PATH)
    original = kazakh_reader.locator('[lang="en"]', has_text=SUMMARY_EN)
    expect(original).to_be_visible()
    expect(kazakh_reader.locator(".untranslated").first).to_be_visible()
    assert browser_problems == []
