"""An editor records a detention and a verdict on the case's form in Chromium,
and an anonymous visitor then reads them in the API of the published case."""

from playwright.sync_api import expect

from cases.models import Case, Detention, Verdict

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
