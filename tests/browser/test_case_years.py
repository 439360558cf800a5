"""An editor's change of a case's start date, clicked in Chromium, moves the
case to its new year in the case list's year filter, as a visitor sees it."""

import re

from playwright.sync_api import expect

from . import test_editorial_workflow
from .test_editorial_workflow import case_admin_path, log_in, messages, visit

sokolova_case = test_editorial_workflow.sokolova_case  # a fixture


def years(page):
    """The year filter of the case list, opened."""
    filters = page.get_by_role("form", name="Filter the cases")
    facet = filters.locator("details", has=page.locator("summary", has_text="Year"))
    facet.locator("summary").click()
    return facet


def test_an_editor_dates_the_start_of_a_case_and_the_public_list_offers_its_year(
    live_server, sokolova_case, editor, page_cache, new_page, browser_problems
):
    visitor = new_page()
    visit(visitor, live_server, "/cases/")
    before = years(visitor)
    expect(before.get_by_label(re.compile(r"\b2011 \(3\)"))).to_have_count(1)
    expect(before.get_by_label(re.compile(r"\b2009\b"))).to_have_count(0)

    admin = log_in(new_page(), live_server, editor, case_admin_path(sokolova_case))
    admin.get_by_label("Started").fill("2009-04-01")
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")

    visit(visitor, live_server, "/cases/")
    after = years(visitor)
    expect(after.get_by_label(re.compile(r"\b2011 \(3\)"))).to_have_count(1)  # its status change
    after.get_by_label(re.compile(r"\b2009 \(1\)")).check()
    visitor.get_by_role("form", name="Filter the cases").get_by_role(
        "button", name="Show cases"
    ).click()
    expect(visitor.get_by_role("heading", name="1 case", exact=True)).to_be_visible()
    expect(visitor.get_by_role("link", name=re.compile("^Natalia Sokolova"))).to_have_count(1)
    assert browser_problems == []
