"""An editor chooses the admin's language from its header, whatever their
browser asks for, and the choice stays until they change it again."""

import re

from playwright.sync_api import expect

from .test_admin_accessibility import case_path, log_in


def test_an_editor_switches_the_admin_to_russian_then_kazakh_then_back_to_english_on_the_same_page(
    live_server, demo, editor, page, browser_problems
):
    log_in(page, live_server.url, editor)
    page.goto(live_server.url + case_path("change"))
    form_address = page.url

    page.get_by_label("Language of the admin").select_option("ru")
    page.get_by_role("button", name="Switch").click()

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert page.url == form_address
    expect(page.get_by_role("button", name="Сохранить", exact=True)).to_be_visible()

    page.goto(live_server.url + "/admin/")  # the choice stays on the next page
    expect(page.get_by_role("heading", name="Дела, люди и источники")).to_be_visible()
    page.get_by_label("Язык админки").select_option("kk")
    page.get_by_role("button", name="Сменить").click()

    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", name="Істер, адамдар және дереккөздер")).to_be_visible()
    page.get_by_label(re.compile("^Әкімшілік бөлімнің тілі$")).select_option("en")
    page.get_by_role("button", name="Ауыстыру").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Cases, people and sources")).to_be_visible()
    expect(page.get_by_label("Language of the admin")).to_have_value("en")
