"""A publisher ticks drafts in the case list (an import's, say) and publishes
them with the list's action in Chromium; each one the publishing checks refuse
stays a draft, and the list says what it lacks. The public then sees exactly
the published one."""

from playwright.sync_api import expect

from cases.models import Case

from .test_editorial_workflow import is_not_found, log_in, messages, visit


def test_a_publisher_publishes_ticked_drafts_and_is_told_what_the_unready_one_lacks(
    live_server, publisher, make_case, make_person, new_page, browser_problems
):
    ready = make_case(
        "Ready for the public",
        slug="ready-for-the-public",
        summary="Charged in September 2011.",
        people=[make_person("Ready Person")],
        published=False,
    )
    unready = make_case(
        "No summary yet",
        slug="no-summary-yet",
        people=[make_person("Unready Person")],
        published=False,
    )
    visitor = new_page()
    assert is_not_found(visitor, live_server, ready.get_absolute_url(), browser_problems)

    admin = log_in(new_page(), live_server, publisher, "/admin/cases/case/")
    for case in (ready, unready):
        admin.get_by_role("row", name=case.title).get_by_role("checkbox").check()
    admin.locator("select[name=action]").select_option(label="Publish selected cases")
    admin.get_by_role("button", name="Go").click()

    expect(messages(admin)).to_contain_text("1 case published.")
    expect(messages(admin)).to_contain_text(
        "“No summary yet” was not published: The case has no summary."
    )
    assert Case.objects.get(pk=unready.pk).publication_state == "draft"

    assert visit(visitor, live_server, ready.get_absolute_url()) == 200
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Ready for the public")
    assert is_not_found(visitor, live_server, unready.get_absolute_url(), browser_problems)
    assert browser_problems == []
