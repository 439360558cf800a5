"""What a person does on the site, done in a real Chromium against the live server."""

import re

from playwright.sync_api import expect

from .chromium import PHONE
from .conftest import EDITOR_PASSWORD

CASE_TITLE = re.compile("Sailybaeva family face")
CASE_PATH = "/cases/socialist-movement-kazakhstan-samoupravstvo/"
ARTICLE = "Kazakhstan: Dictatorial regime threatens socialist activists"


def timeline_entry(page, headline):
    """The entry of the case page's timeline with this headline."""
    return (
        page.get_by_role("region", name="Timeline")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=headline, exact=True))
    )


def filter_by(form, facet, choice):
    """Open a facet of the filters (a <details>), tick a choice and apply it."""
    form.locator("summary", has_text=facet).click()
    form.get_by_role("group", name=facet).get_by_label(choice).check()
    form.get_by_role("button", name="Show cases").click()


def has_no_horizontal_scrolling(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_visitor_goes_from_the_home_page_to_the_samoupravstvo_case_and_its_cited_entry(
    live_server, demo, page, browser_problems
):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Political repression cases")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page).to_have_url(live_server.url + "/cases/")
    filters = page.get_by_role("form", name="Filter the cases")

    filter_by(filters, "Country", "Kazakhstan")
    expect(page).to_have_url(re.compile(r"[?&]country=KZ(&|$)"))
    expect(page.get_by_role("heading", name="3 cases")).to_be_visible()

    filter_by(filters, "Charge", "samoupravstvo")
    expect(page).to_have_url(re.compile(r"[?&]charge=samoupravstvo(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]country=KZ(&|$)"))
    expect(page.get_by_role("heading", name="1 case", exact=True)).to_be_visible()

    page.get_by_role("link", name=CASE_TITLE).click()
    expect(page).to_have_url(live_server.url + CASE_PATH)
    entry = timeline_entry(page, "Status changed from witnesses to suspects")
    expect(entry.locator("time")).to_have_text("14 September 2011")
    expect(entry.locator("time")).to_have_attribute("datetime", "2011-09-14")
    expect(entry).to_contain_text("Suspect")

    entry.get_by_role("link", name=f"Source 1: {ARTICLE}").click()
    expect(page).to_have_url(live_server.url + CASE_PATH + "#source-1")
    source = page.locator("#source-1")
    expect(source).to_contain_text(ARTICLE)
    expect(source).to_be_in_viewport()

    assert browser_problems == []


def test_an_editor_records_a_status_change_and_a_visitor_then_sees_it_on_the_case_page(
    live_server, demo, editor, new_page, browser_problems
):
    admin = new_page()
    admin.goto(live_server.url + "/admin/")
    expect(admin).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    admin.get_by_label("Username").fill(editor.username)
    admin.get_by_label("Password").fill(EDITOR_PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_role("heading", name="Cases, people and sources")).to_be_visible()

    admin.get_by_role("row", name="Cases").get_by_role("link", name="Cases").click()
    admin.get_by_role("link", name=CASE_TITLE).click()
    admin.get_by_role("link", name="Record a status change").click()
    expect(admin.get_by_role("heading", name="Record a status change")).to_be_visible()

    admin.get_by_label("Nuosulu Sailybaeva (accused)").check()
    admin.get_by_label("Date:", exact=True).fill("2011-09-30")
    admin.get_by_role("radio", name="day", exact=True).check()
    admin.get_by_label("New status").select_option(label="charged")
    admin.get_by_label("Headline").fill("Charged with samoupravstvo")
    admin.get_by_label("Description").fill("Charged, as the police had told the lawyer.")
    admin.get_by_label("Or a new source: address (URL)").fill(
        "https://news.example.org/sailybaeva-charged"
    )
    admin.get_by_label("Title of the new source").fill("Nuosulu Sailybaeva charged")
    admin.get_by_label("Publisher of the new source").fill("Example News")
    admin.get_by_role("button", name="Record the status change").click()
    expect(admin.locator(".messagelist")).to_contain_text("Recorded: ")

    visitor = new_page()  # another context: no editor's cookies
    visitor.goto(live_server.url + CASE_PATH)
    entry = timeline_entry(visitor, "Charged with samoupravstvo")
    expect(entry.locator("time")).to_have_text("30 September 2011")
    expect(entry).to_contain_text("Charged")
    expect(entry.get_by_role("link", name="Nuosulu Sailybaeva", exact=True)).to_be_visible()
    expect(entry).to_contain_text("Charged, as the police had told the lawyer.")
    citation = entry.get_by_role(
        "link", name=re.compile(r"^Source \d: Nuosulu Sailybaeva charged$")
    )
    target = citation.get_attribute("href")
    source = visitor.locator(target)
    expect(source.get_by_role("link", name="Nuosulu Sailybaeva charged")).to_have_attribute(
        "href", "https://news.example.org/sailybaeva-charged"
    )
    expect(source).to_contain_text("Example News")
    person = visitor.get_by_role("listitem").filter(
        has=visitor.get_by_role("heading", name="Nuosulu Sailybaeva")
    )
    expect(person).to_contain_text("Charged")

    assert browser_problems == []


def test_on_a_phone_a_visitor_filters_the_list_and_reads_the_timeline_without_scrolling_sideways(
    live_server, demo, new_page, browser_problems
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server.url + "/cases/")
    assert has_no_horizontal_scrolling(page)

    filters = page.get_by_role("form", name="Filter the cases")
    filters.locator("summary", has_text="Current status").tap()
    suspect = filters.get_by_role("group", name="Current status").get_by_label("Suspect")
    suspect.tap()
    expect(suspect).to_be_checked()
    filters.get_by_role("button", name="Show cases").tap()
    expect(page).to_have_url(re.compile(r"[?&]status=suspect(&|$)"))
    expect(page.get_by_role("heading", name="1 case", exact=True)).to_be_visible()
    assert has_no_horizontal_scrolling(page)

    page.get_by_role("link", name=CASE_TITLE).tap()
    timeline = page.get_by_role("region", name="Timeline")
    timeline.scroll_into_view_if_needed()
    expect(timeline).to_be_in_viewport()
    expect(timeline_entry(page, "Status changed from witnesses to suspects")).to_be_visible()
    box = timeline.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert has_no_horizontal_scrolling(page)

    assert browser_problems == []
