"""On a phone, the facts a reader comes for and the start of the timeline are
within the first two screens of a case page and a person page (issue 15)."""

import pytest
from playwright.sync_api import expect

from .chromium import PHONE
from .test_who_is_held import record_the_facts

PAGES = [
    "/cases/socialist-movement-kazakhstan-samoupravstvo/",  # four accused, an official, a long summary
    "/cases/natalia-sokolova/",
    "/people/ainur-kurmanov/",
    "/people/natalia-sokolova/",
]


@pytest.mark.parametrize("recorded", [False, True], ids=["as-the-source-tells", "with-places"])
@pytest.mark.parametrize("path", PAGES)
def test_on_a_375_px_phone_the_facts_and_the_timeline_start_within_two_screens(
    live_server, demo, new_page, browser_problems, path, recorded
):
    if recorded:
        record_the_facts()  # a place with its letter address makes the panel longer
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server.url + path)

    facts = page.get_by_role("region", name="The facts")
    timeline = page.get_by_role("region", name="Timeline")
    expect(facts).to_be_visible()
    two_screens = 2 * PHONE["height"]
    facts_end = page.evaluate(
        "(e) => e.getBoundingClientRect().bottom + window.scrollY", facts.element_handle()
    )
    timeline_start = page.evaluate(
        "(e) => e.querySelector('li').getBoundingClientRect().top + window.scrollY",
        timeline.element_handle(),
    )
    print(
        f"{path}: facts end at {facts_end:.0f} px, the first entry starts at {timeline_start:.0f} px"
    )
    assert facts_end <= two_screens
    assert timeline_start <= two_screens
    assert browser_problems == []
