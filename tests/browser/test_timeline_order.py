"""An editor records a later event with a coarser date, sees it where the
sources put it, and moves it; a visitor sees each order, and the case's status."""

import re

from playwright.sync_api import expect

from .test_editorial_workflow import (
    LEADERS_PATH,
    case_admin_path,
    log_in,
    messages,
    pick_in_autocomplete,
    visit,
)

ARTICLE = "Kazakhstan: Dictatorial regime threatens socialist activists"
SUSPECTS = "Status changed from witnesses to suspects"
CHARGED = "To be charged by the end of the month"


def timeline_headlines(page):
    return page.get_by_role("region", name="Timeline").locator(".entry__headline").all_inner_texts()


def test_an_entry_of_september_recorded_after_one_of_14_september_stays_after_it_until_moved(
    live_server, demo, editor, page_cache, new_page, browser_problems
):
    from cases.models import Case

    leaders = Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo")
    visitor = new_page()
    visit(visitor, live_server, LEADERS_PATH)

    admin = log_in(new_page(), live_server, editor, case_admin_path(leaders))
    admin.get_by_role("link", name="Record a status change").click()
    admin.get_by_label("Ainur Kurmanov (accused)").check()
    admin.get_by_label("Date:", exact=True).fill("2011-09-01")
    admin.get_by_role("radio", name="month", exact=True).check()
    admin.get_by_label("New status").select_option(label="charged")
    admin.get_by_label("Headline").fill(CHARGED)
    pick_in_autocomplete(admin, admin.locator("#id_sources ~ .select2"), "dictatorial", ARTICLE)
    admin.get_by_role("button", name="Record the status change").click()
    expect(messages(admin)).to_contain_text("Recorded: September 2011")

    visit(visitor, live_server, LEADERS_PATH)
    assert timeline_headlines(visitor)[-2:] == [SUSPECTS, CHARGED]
    entry = visitor.get_by_role("listitem").filter(has_text=CHARGED).last
    expect(entry.locator(".date-precision")).to_have_text("(exact day not known)")
    visit(visitor, live_server, "/cases/")
    card = visitor.locator(".case-card").filter(has_text="Sailybaeva family")
    expect(card).to_contain_text(re.compile(r"1 charged, 1 suspect"))

    admin.get_by_role("link", name="Change").last.click()
    admin.get_by_role("button", name="Move earlier").click()
    expect(messages(admin)).to_contain_text("Moved.")

    visit(visitor, live_server, LEADERS_PATH)
    assert timeline_headlines(visitor)[-2:] == [CHARGED, SUSPECTS]
    kurmanov = visitor.get_by_role("listitem").filter(
        has=visitor.get_by_role("heading", name="Ainur Kurmanov")
    )
    expect(kurmanov).to_contain_text("Suspect")
    assert browser_problems == []
