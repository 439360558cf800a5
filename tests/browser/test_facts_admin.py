"""An editor records a detention and a verdict on the case's form in Chromium,
and an anonymous visitor then reads them in the API of the published case."""

import datetime

from playwright.sync_api import expect

from cases import services
from cases.models import Case, Detention, Source, Verdict

from .test_editorial_workflow import (
    ARTICLE,
    case_admin_path,
    log_in,
    messages,
    pick_in_autocomplete,
)

LEADERS_SLUG = "socialist-movement-kazakhstan-samoupravstvo"


def test_an_editor_adds_a_detention_and_a_verdict_that_the_public_api_then_shows(
    live_server, demo, editor, new_page, browser_problems
):
    case = Case.objects.get(slug=LEADERS_SLUG)
    admin = log_in(new_page(), live_server, editor, case_admin_path(case))

    admin.get_by_text("Add another Detention").click()
    admin.locator("#id_detentions-0-participant").select_option(label="Ainur Kurmanov (accused)")
    admin.locator("#id_detentions-0-kind").select_option(label="arrest (police custody)")
    admin.locator("#id_detentions-0-start").fill("2011-09-14")
    admin.locator("#id_detentions-0-end").fill("2011-09-10")
    pick_in_autocomplete(
        admin, admin.locator("#id_detentions-0-cited + .select2"), "Dictatorial", ARTICLE
    )

    admin.get_by_text("Add another Verdict").click()
    admin.locator("#id_verdicts-0-participant").select_option(label="Ainur Kurmanov (accused)")
    admin.locator("#id_verdicts-0-outcome").select_option(label="convicted")
    admin.locator("#id_verdicts-0-date").fill("2011-09-20")
    admin.locator("#id_verdicts-0-term_years").fill("2")
    admin.locator("#id_verdicts-0-sentence_start").fill("2011-09-14")
    admin.locator("#id_verdicts-0-convicted_on_0").check()
    pick_in_autocomplete(
        admin, admin.locator("#id_verdicts-0-cited + .select2"), "Dictatorial", ARTICLE
    )
    admin.get_by_role("button", name="Save and continue editing").click()

    # The release typed before the arrest: refused, with words, and nothing saved.
    expect(admin.locator(".errorlist")).to_contain_text("cannot be before the start")
    assert not Detention.objects.filter(case=case).exists()
    assert not Verdict.objects.exists()

    admin.locator("#id_detentions-0-end").fill("2011-09-16")
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")

    visitor = new_page()
    facts = visitor.request.get(f"{live_server.url}/api/v1/cases/{LEADERS_SLUG}/").json()
    (detention,) = facts["detentions"]
    assert (detention["person"], detention["kind"], detention["start"], detention["end"]) == (
        "ainur-kurmanov",
        "arrest",
        "2011-09-14",
        "2011-09-16",
    )
    (verdict,) = facts["verdicts"]
    assert verdict["articles"] == ["samoupravstvo"]
    assert verdict["sentence"]["expected_release"] == "2013-09-14"
    assert [source["title"] for source in verdict["sources"]] == [ARTICLE]
    assert browser_problems == []


def test_an_editor_ends_a_detention_from_the_cases_table_and_the_public_sees_the_release(
    live_server, demo, editor, new_page, browser_problems
):
    """The case's form lists its detentions; one is ended on its own page,
    and the person's public page (served from the cache before) says so."""
    visitor = new_page()
    visitor.goto(f"{live_server.url}/people/natalia-sokolova/")
    expect(visitor.locator(".facts-panel")).to_contain_text("held now")

    case = Case.objects.get(slug="natalia-sokolova")
    admin = log_in(new_page(), live_server, editor, case_admin_path(case))
    detentions = admin.locator("#detentions-recorded-group")
    expect(detentions).to_contain_text("Natalia Sokolova")
    detentions.get_by_role("link", name="Change: Natalia Sokolova").click()

    admin.get_by_label("Until").fill("2011-08-01")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".errorlist")).to_contain_text("cannot be before the start")

    admin.get_by_label("Until").fill("2013-03-01")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin).to_have_url(live_server.url + case_admin_path(case))
    expect(messages(admin)).to_contain_text("was changed successfully")
    expect(detentions).to_contain_text("September 2011 – 1 March 2013")

    visitor.goto(f"{live_server.url}/people/natalia-sokolova/")
    expect(visitor.locator(".facts-panel")).to_contain_text("not held now")
    assert Detention.objects.get(case=case).end.isoformat() == "2013-03-01"
    assert browser_problems == []


def test_a_publisher_deletes_a_verdict_from_its_page_and_the_public_no_longer_reads_it(
    live_server, demo, publisher, new_page, page_cache, browser_problems
):
    """The verdict's entry in the timeline goes with it: the confirmation
    lists it, and the case page and its feed (cached before) no longer say
    the person was sentenced."""
    case = Case.objects.get(slug=LEADERS_SLUG)
    kurmanov = case.participants.get(person__name="Ainur Kurmanov")
    services.record_verdict(
        kurmanov,
        outcome="convicted",
        date=datetime.date(2011, 9, 20),
        term_years=2,
        sources=[Source.objects.get(title=ARTICLE)],
    )
    headline = "Verdict on Ainur Kurmanov: convicted, imprisonment, 2 years"
    visitor = new_page()
    visitor.goto(f"{live_server.url}/cases/{LEADERS_SLUG}/")
    expect(visitor.locator("main")).to_contain_text(headline)
    feed = f"{live_server.url}/cases/{LEADERS_SLUG}/feed/"
    assert headline in visitor.request.get(feed).text()

    admin = log_in(new_page(), live_server, publisher, case_admin_path(case))
    admin.locator("#verdicts-recorded-group").get_by_role(
        "link", name="Change: Ainur Kurmanov"
    ).click()
    admin.get_by_role("link", name="Delete").click()
    expect(admin.locator("#content")).to_contain_text(
        f"Status change: 20 September 2011: {headline}"
    )
    admin.get_by_role("button", name="Yes, I’m sure").click()
    expect(admin).to_have_url(live_server.url + case_admin_path(case))
    expect(messages(admin)).to_contain_text("was deleted successfully")

    visitor.goto(f"{live_server.url}/cases/{LEADERS_SLUG}/")
    expect(visitor.locator("main")).not_to_contain_text(headline)
    assert headline not in visitor.request.get(feed).text()
    assert not Verdict.objects.exists()
    assert not case.participants.filter(current_status="sentenced").exists()
    assert browser_problems == []
