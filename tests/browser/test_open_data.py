"""Open data in a real Chromium: the researcher's journey from a filtered list to
the CSV, the case's feed and the API, and the API's pages under the site's CSP."""

import csv
import io
import re

from playwright.sync_api import expect

CASE_TITLE = re.compile("Sailybaeva family face")
CASE_SLUG = "socialist-movement-kazakhstan-samoupravstvo"


def test_a_researcher_downloads_the_kazakh_samoupravstvo_cases_and_finds_the_feed_and_api(
    live_server, demo, page, browser_problems
):
    page.goto(f"{live_server.url}/cases/?country=KZ&charge=samoupravstvo")
    expect(page.get_by_role("heading", name="1 case", exact=True)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of the cases", exact=True).click()
    assert re.fullmatch(
        r"cases-kz-samoupravstvo-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename
    )
    content = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    [row] = csv.DictReader(io.StringIO(content))
    assert CASE_TITLE.search(row["title"])
    assert row["url"] == f"{live_server.url}/cases/{CASE_SLUG}/"

    page.get_by_role("link", name=CASE_TITLE).click()
    feed = page.get_by_role("link", name="Follow this case (Atom feed)")
    expect(feed).to_have_attribute("href", f"/cases/{CASE_SLUG}/feed/")
    alternate = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(alternate).to_have_attribute("href", f"/cases/{CASE_SLUG}/feed/")

    api = page.request.get(f"{live_server.url}/api/v1/cases/?country=KZ&charge=samoupravstvo")
    assert [case["slug"] for case in api.json()["results"]] == [CASE_SLUG]
    assert browser_problems == []


def test_the_api_docs_work_under_the_content_security_policy(
    live_server, demo, page, browser_problems
):
    page.goto(f"{live_server.url}/api/v1/docs/")
    operation = page.locator("#operations-cases-cases_list")
    expect(operation).to_be_visible()

    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()

    expect(operation.locator(".responses-wrapper .live-responses-table")).to_contain_text(CASE_SLUG)
    assert browser_problems == []


def test_the_browsable_api_works_under_the_content_security_policy(
    live_server, demo, page, browser_problems
):
    page.goto(f"{live_server.url}/api/v1/cases/")

    expect(page.locator("body")).to_contain_text(CASE_SLUG)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert browser_problems == []
