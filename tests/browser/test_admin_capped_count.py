"""A publisher searches the case list in Chromium for a name that more cases
carry than the list counts (a small cap here; 10,000 as deployed): the list
says "more than", pages on, and publishing all the cases found publishes
every one of them, as the public then sees (cases.admin_paginator)."""

import re

from playwright.sync_api import expect

from cases.models import Case

from ..test_admin_capped_count import FOUND, kurmanovs, small_cap  # noqa: F401, F811
from .test_editorial_workflow import is_not_found, log_in, messages, visit


def test_a_publisher_searches_sees_more_than_pages_on_and_publishes_all_the_cases_found(
    live_server,
    publisher,
    small_cap,  # noqa: F811 (the fixtures imported above)
    kurmanovs,  # noqa: F811
    new_page,
    browser_problems,
):
    found, other = kurmanovs
    visitor = new_page()
    assert is_not_found(visitor, live_server, found[0].get_absolute_url(), browser_problems)

    admin = log_in(new_page(), live_server, publisher, "/admin/cases/case/")
    admin.get_by_role("textbox", name="Search").fill("kurmanov")
    admin.get_by_role("button", name="Search").click()

    paginator = admin.locator("p.paginator")
    expect(paginator).to_contain_text("more than 5 cases")
    expect(admin.get_by_text("more than 5 results")).to_be_visible()
    expect(admin.get_by_role("row", name="Kurmanov 8")).to_be_visible()
    # The last page's number is not known: no link says it is.
    expect(paginator.locator("a.end")).to_have_count(0)

    paginator.get_by_role("link", name="2", exact=True).click()
    expect(admin.get_by_role("row", name="Kurmanov 7")).to_be_visible()
    expect(admin.get_by_role("row", name="Kurmanov 8")).to_have_count(0)
    expect(admin.locator("p.paginator .this-page")).to_have_text("2")
    expect(admin).to_have_url(re.compile(r"\?p=2&q=kurmanov$"))

    # Every case found, on every page: the box of the page, then "Select all".
    admin.locator("#action-toggle").check()
    admin.get_by_role("button", name="Select all cases found (more than 5)").click()
    expect(admin.get_by_text("All cases found selected (more than 5)")).to_be_visible()
    admin.locator("select[name=action]").select_option(label="Publish selected cases")
    admin.get_by_role("button", name="Go").click()

    expect(messages(admin)).to_contain_text(f"{FOUND} cases published.")
    assert Case.objects.get(pk=other.pk).publication_state == "draft"
    for case in found:
        assert visit(visitor, live_server, case.get_absolute_url()) == 200
        expect(visitor.get_by_role("heading", level=1)).to_contain_text(case.title)
    assert is_not_found(visitor, live_server, other.get_absolute_url(), browser_problems)
    assert browser_problems == []
