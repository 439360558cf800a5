"""The record stays consistent as an editor keeps it: a release recorded in the
timeline ends the detention it ends, and a verdict is in the timeline and the
feeds. An editor works in the admin in Chromium; an anonymous visitor then
reads the person page, the people list's "held now" filter, the headline
figures and the case's feed."""

import re

from playwright.sync_api import expect

from cases.models import Case, Detention, StatusChange, Verdict

from .test_editorial_workflow import (
    ARTICLE,
    case_admin_path,
    log_in,
    messages,
    pick_in_autocomplete,
    timeline_entry,
)

SOKOLOVA = "/people/natalia-sokolova/"
HELD_IN_KAZAKHSTAN = "/people/?country=KZ&held=now"


def held_names(visitor, live_server):
    visitor.goto(live_server.url + HELD_IN_KAZAKHSTAN)
    return visitor.locator(".people-grid").get_by_role("link").all_inner_texts()


def test_an_editor_records_a_release_and_the_public_no_longer_sees_the_person_held(
    live_server, demo, editor, page_cache, new_page, browser_problems
):
    case = Case.objects.get(slug="natalia-sokolova")
    visitor = new_page()
    visitor.goto(live_server.url + SOKOLOVA)
    expect(visitor.locator(".facts-panel")).to_contain_text("held now")
    assert any("Natalia Sokolova" in name for name in held_names(visitor, live_server))
    visitor.goto(live_server.url + "/")
    expect(visitor.get_by_role("link", name="Kazakhstan: 2 held")).to_be_visible()

    admin = log_in(new_page(), live_server, editor, case_admin_path(case))
    admin.get_by_role("link", name="Record a status change").click()
    admin.get_by_label(re.compile("Natalia Sokolova")).check()
    admin.get_by_label("Date:", exact=True).fill("2012-03-01")
    admin.get_by_role("radio", name="month", exact=True).check()
    admin.get_by_label("New status").select_option(label="released")
    admin.get_by_label("Headline").fill("Natalia Sokolova released on parole")
    pick_in_autocomplete(admin, admin.locator("#id_sources ~ .select2"), "dictatorial", ARTICLE)
    admin.get_by_role("button", name="Record the status change").click()
    expect(messages(admin)).to_contain_text("Recorded: March 2012: Natalia Sokolova released")

    (detention,) = Detention.objects.filter(case=case)
    assert (detention.end.isoformat(), detention.end_precision) == ("2012-03-01", "month")
    visitor.goto(live_server.url + SOKOLOVA)
    panel = visitor.locator(".facts-panel")
    expect(panel).to_contain_text("not held now")
    expect(panel.locator(".held-now")).to_have_count(0)
    assert not any("Natalia Sokolova" in name for name in held_names(visitor, live_server))
    visitor.goto(live_server.url + "/")
    expect(visitor.get_by_role("link", name="Kazakhstan: 1 held")).to_be_visible()
    feed = visitor.request.get(f"{live_server.url}/cases/natalia-sokolova/feed/").text()
    assert "Natalia Sokolova released on parole" in feed
    assert browser_problems == []


def test_an_editor_records_a_verdict_and_the_public_reads_it_in_the_timeline_and_the_feeds(
    live_server, demo, editor, page_cache, new_page, browser_problems
):
    case = Case.objects.get(slug="natalia-sokolova")
    admin = log_in(new_page(), live_server, editor, case_admin_path(case))
    admin.get_by_text("Add another Verdict").click()
    participant = case.participants.get()
    admin.locator("#id_verdicts-0-participant").select_option(
        label=f"Natalia Sokolova ({participant.get_role_display()})"
    )
    admin.locator("#id_verdicts-0-outcome").select_option(label="convicted")
    admin.locator("#id_verdicts-0-date").fill("2012-08-08")
    admin.locator("#id_verdicts-0-term_years").fill("6")
    pick_in_autocomplete(
        admin, admin.locator("#id_verdicts-0-cited + .select2"), "Dictatorial", ARTICLE
    )
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")
    # Saved again untouched: still one entry for the one verdict.
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")

    verdict = Verdict.objects.get(case=case)
    entry = StatusChange.objects.get(verdict=verdict)
    headline = "Verdict on Natalia Sokolova: convicted, imprisonment, 6 years"
    assert (entry.headline, entry.status) == (headline, "imprisoned")
    assert [s.title for s in entry.sources.all()] == [ARTICLE]

    visitor = new_page()
    visitor.goto(live_server.url + "/cases/natalia-sokolova/")
    expect(timeline_entry(visitor, headline).locator("time")).to_have_text("8 August 2012")
    for path in ["/feed/", "/cases/natalia-sokolova/feed/", "/countries/kz/feed/"]:
        feed = visitor.request.get(live_server.url + path).text()
        assert feed.count(headline) == 1, path
    assert browser_problems == []
