"""The case list's filters after the browser's Back and Forward buttons."""

import re

from playwright.sync_api import expect


def test_after_back_the_filter_form_shows_the_filters_of_the_cases_on_the_page(
    live_server, demo, page, browser_problems
):
    page.goto(live_server.url + "/cases/")
    filters = page.get_by_role("form", name="Filter the cases")
    search = filters.get_by_label("Search")
    # The Status facet, open or closed (a <details>): its box is checked or not either way.
    status = filters.locator("details", has=page.locator("summary", has_text="Status"))
    imprisoned = status.get_by_label("Imprisoned")

    search.fill("Zhovtis")
    status.locator("summary").click()
    imprisoned.check()
    filters.get_by_role("button", name="Show cases").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Zhovtis(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]status=imprisoned(&|$)"))
    expect(page.get_by_role("heading", name="1 case", exact=True)).to_be_visible()

    # Back to the whole list: the form says so, not what was typed before leaving it.
    page.go_back()
    expect(page).to_have_url(live_server.url + "/cases/")
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ cases$"))).to_be_visible()
    expect(search).to_have_value("")
    expect(imprisoned).not_to_be_checked()

    # Forward again: the form shows the filters of the one case listed.
    page.go_forward()
    expect(page.get_by_role("heading", name="1 case", exact=True)).to_be_visible()
    expect(search).to_have_value("Zhovtis")
    expect(imprisoned).to_be_checked()

    assert browser_problems == []


def test_a_list_restored_whole_from_the_back_forward_cache_shows_the_filters_it_was_served_with(
    live_server, demo, page
):
    # Chromium may keep the page whole, typed values and all, instead of
    # loading it again; it then tells the page with a "pageshow" event.
    page.goto(live_server.url + "/cases/?status=imprisoned")
    filters = page.get_by_role("form", name="Filter the cases")
    imprisoned = filters.get_by_role("group", name="Status").get_by_label("Imprisoned")
    filters.get_by_label("Search").fill("Zhovtis")
    imprisoned.uncheck()

    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")

    expect(filters.get_by_label("Search")).to_have_value("")
    expect(imprisoned).to_be_checked()
