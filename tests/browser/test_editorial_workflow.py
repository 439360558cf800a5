"""The editors' workflow, clicked through in a real Chromium, and what the public then sees.

Each test logs in through the login form as the role that has the action,
clicks the admin's own buttons, and then looks at the public site in a
context of its own, without cookies, with the public page cache on as
deployed. The visitor loads each page before the edit, so that it is in
the cache: seeing the change afterwards proves the edit invalidated it.

Tests that posted straight to the admin's addresses once passed while no
publisher could publish (the Publish form sat inside the case's form); these
click, so they meet what a person meets.
"""

import datetime
import re

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from cases import services
from cases.models import (
    Case,
    CaseParticipant,
    Person,
    Picture,
    PublicationState,
    Status,
    StatusChangeSource,
)

from ..conftest import cited
from .conftest import EDITOR_PASSWORD, second_factor_code

# A published demo case whose admin page is light (one person, one entry).
CASE_PATH = "/cases/natalia-sokolova/"
CASE_TITLE = re.compile("^Natalia Sokolova, the oil workers' lawyer, imprisoned$")
SUMMARY_START = "Natalia Sokolova, the oil workers' lawyer, was in prison in September 2011."
# The demo's case of four accused, for status changes of several people.
LEADERS_PATH = "/cases/socialist-movement-kazakhstan-samoupravstvo/"
LEADERS_TITLE = re.compile("Sailybaeva family face")
ARTICLE = "Kazakhstan: Dictatorial regime threatens socialist activists"

DRAFT_TITLE = "Leave People's Homes Alone activists questioned"
DRAFT_PATH = "/cases/lpha-activists-questioned/"
DRAFT_HEADLINE = "Questioned about the broken locks"


@pytest.fixture
def sokolova_case(demo):
    return Case.objects.get(slug="natalia-sokolova")


@pytest.fixture
def leaders_case(demo):
    return Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo")


@pytest.fixture
def draft(demo):
    """A draft that is not ready yet: it has a person, but no summary, and its
    one status change cites no source."""
    case = Case.objects.create(title=DRAFT_TITLE, slug="lpha-activists-questioned", country="KZ")
    participant = CaseParticipant.objects.create(
        case=case,
        person=Person.objects.get(slug="kulzhan-sailybaeva"),
        role=CaseParticipant.Role.ACCUSED,
    )
    services.record_status_change(
        case,
        participants=[participant],
        status=Status.SUSPECT,
        date=datetime.date(2011, 9, 14),
        headline=DRAFT_HEADLINE,
        sources=[cited()],
    )
    # As an entry recorded before every entry had to cite a source.
    StatusChangeSource.objects.filter(status_change__case=case).delete()
    return case


def log_in(page, live_server, user, path="/admin/"):
    """Log in through the admin's login form, to land on PATH."""
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    code = second_factor_code(user)
    if code is not None:
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + path)
    return page


def case_admin_path(case):
    return f"/admin/cases/case/{case.pk}/change/"


def messages(page):
    return page.locator(".messagelist")


def visit(page, live_server, path):
    """Load PATH as the public does; the response's status code."""
    return page.goto(live_server.url + path).status


def is_not_found(page, live_server, path, browser_problems):
    """Whether the public gets "not found" at PATH. Chromium reports the 404 in
    the page's console: that report, expected here, is taken off the problems."""
    url = live_server.url + path
    status = visit(page, live_server, path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    for problem in [p for p in browser_problems if p.startswith(f"{url}: ") and "404" in p]:
        browser_problems.remove(problem)
    return status == 404


def timeline_entry(page, headline):
    return (
        page.get_by_role("region", name="Timeline")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=headline, exact=True))
    )


def pick_in_autocomplete(page, widget, text, option):
    """Type TEXT in a select2 autocomplete WIDGET (its visible box) and pick OPTION."""
    widget.click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    page.locator(".select2-results__option", has_text=option).click()


# The cache itself


def test_a_visitor_is_served_the_cached_page_until_an_edit_says_the_public_data_changed(
    live_server, sokolova_case, page_cache, new_page
):
    """What the other tests rely on: the page cache is on for the live server,
    so a change the visitor sees was let through by the edit's invalidation."""
    visitor = new_page()
    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text(SUMMARY_START)).to_be_visible()

    # Written around the services: no new version of the public data.
    Case.objects.filter(pk=sokolova_case.pk).update(summary="Written around the services.")
    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text(SUMMARY_START)).to_be_visible()

    services.public_data_changed()
    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text("Written around the services.")).to_be_visible()


# Saving a case


def test_an_editor_saves_a_case_and_saves_it_again_continuing_and_the_public_sees_each_summary(
    live_server, sokolova_case, editor, page_cache, new_page, browser_problems
):
    visitor = new_page()
    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text(SUMMARY_START)).to_be_visible()

    admin = log_in(new_page(), live_server, editor, case_admin_path(sokolova_case))
    admin.get_by_label("Summary (English)").fill("The first summary an editor saved.")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin).to_have_url(live_server.url + "/admin/cases/case/")
    expect(messages(admin)).to_contain_text("was changed successfully")

    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text("The first summary an editor saved.")).to_be_visible()

    admin.locator("#result_list").get_by_role("link", name=CASE_TITLE).click()
    admin.get_by_label("Summary (English)").fill("The second summary, saved to go on editing.")
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(admin).to_have_url(live_server.url + case_admin_path(sokolova_case))
    expect(messages(admin)).to_contain_text("You may edit it again below.")
    expect(admin.get_by_label("Summary (English)")).to_have_value(
        "The second summary, saved to go on editing."
    )

    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text("The second summary, saved to go on editing.")).to_be_visible()
    assert browser_problems == []


# Publishing


def test_a_publisher_is_told_what_is_missing_then_publishes_withdraws_and_publishes_again(
    live_server, draft, publisher, page_cache, new_page, browser_problems
):
    visitor = new_page()
    assert is_not_found(visitor, live_server, DRAFT_PATH, browser_problems)

    admin = log_in(new_page(), live_server, publisher, case_admin_path(draft))
    publication = admin.get_by_role("region", name=re.compile("^Publication"))
    expect(publication.get_by_role("heading")).to_have_text("Publication: draft")
    admin.get_by_role("button", name="Publish", exact=True).click()
    errors = messages(admin).locator(".error")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_have_text("The case has no summary.")
    expect(errors.nth(1)).to_have_text(
        f"The status change “14 September 2011: {DRAFT_HEADLINE}” cites no source."
    )
    expect(publication.get_by_role("heading")).to_have_text("Publication: draft")
    assert is_not_found(visitor, live_server, DRAFT_PATH, browser_problems)

    # What was missing, given through the forms.
    admin.get_by_label("Summary (English)").fill("Two activists of the campaign were questioned.")
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")
    admin.get_by_role("link", name="Change", exact=True).click()  # the timeline's entry
    expect(admin.get_by_role("heading", name="Change status change")).to_be_visible()
    pick_in_autocomplete(
        admin, admin.locator(".field-source .select2-selection").first, "dictatorial", ARTICLE
    )
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(messages(admin)).to_contain_text("was changed successfully")

    admin.goto(live_server.url + case_admin_path(draft))
    expect(admin.locator(".publication .errorlist")).to_have_count(0)
    admin.get_by_role("button", name="Publish", exact=True).click()
    expect(messages(admin)).to_contain_text(
        f"“{DRAFT_TITLE}” is published: the public can see it now."
    )
    expect(publication.get_by_role("heading")).to_have_text("Publication: published")
    expect(publication).to_contain_text("by pavel")

    assert visit(visitor, live_server, DRAFT_PATH) == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(DRAFT_TITLE)
    expect(
        timeline_entry(visitor, DRAFT_HEADLINE).get_by_role("link", name=f"Source 1: {ARTICLE}")
    ).to_be_visible()

    admin.get_by_role("button", name="Withdraw from the public site").click()
    expect(messages(admin)).to_contain_text(
        f"“{DRAFT_TITLE}” is withdrawn: the public can no longer see it."
    )
    expect(publication.get_by_role("heading")).to_have_text("Publication: withdrawn")
    assert is_not_found(visitor, live_server, DRAFT_PATH, browser_problems)

    admin.get_by_role("button", name="Publish", exact=True).click()
    expect(messages(admin)).to_contain_text("is published: the public can see it now.")
    assert visit(visitor, live_server, DRAFT_PATH) == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(DRAFT_TITLE)
    assert browser_problems == []


def test_an_editor_previews_a_draft_that_the_public_cannot_see(
    live_server, draft, editor, page_cache, new_page, browser_problems
):
    admin = log_in(new_page(), live_server, editor, case_admin_path(draft))
    admin.get_by_role("link", name="Preview").click()
    expect(admin.get_by_role("status")).to_contain_text("Preview: this case is draft.")
    expect(admin.get_by_role("status")).to_contain_text("the public cannot")
    expect(admin.get_by_role("heading", level=1)).to_have_text(DRAFT_TITLE)
    expect(timeline_entry(admin, DRAFT_HEADLINE)).to_be_visible()

    visitor = new_page()
    assert is_not_found(visitor, live_server, DRAFT_PATH, browser_problems)
    expect(visitor.get_by_text(DRAFT_HEADLINE)).to_have_count(0)
    assert browser_problems == []


# The timeline


def test_an_editor_records_status_changes_for_one_and_for_several_people_citing_old_and_new_sources(
    live_server, leaders_case, editor, page_cache, new_page, browser_problems
):
    visitor = new_page()
    visit(visitor, live_server, LEADERS_PATH)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(LEADERS_TITLE)

    admin = log_in(new_page(), live_server, editor, case_admin_path(leaders_case))
    admin.get_by_role("link", name="Record a status change").click()
    admin.get_by_label("Nuosulu Sailybaeva (accused)").check()
    admin.get_by_label("Date:", exact=True).fill("2011-09-30")
    admin.get_by_role("radio", name="day", exact=True).check()
    admin.get_by_label("New status").select_option(label="charged")
    admin.get_by_label("Headline").fill("Charged with samoupravstvo")
    pick_in_autocomplete(admin, admin.locator("#id_sources ~ .select2"), "dictatorial", ARTICLE)
    admin.get_by_role("button", name="Record the status change").click()
    expect(messages(admin)).to_contain_text("Recorded: 30 September 2011: Charged with")

    admin.get_by_role("link", name="Record a status change").click()
    admin.get_by_label("Ainur Kurmanov (accused)").check()
    admin.get_by_label("Esenbek Ukteshbayev (accused)").check()
    admin.get_by_label("Date:", exact=True).fill("2011-10-01")
    admin.get_by_role("radio", name="month", exact=True).check()
    admin.get_by_label("New status").select_option(label="charged")
    admin.get_by_label("Headline").fill("The two leaders charged")
    admin.get_by_label("Or a new source: address (URL)").fill(
        "https://news.example.org/leaders-charged"
    )
    admin.get_by_label("Title of the new source").fill("Kurmanov and Ukteshbayev charged")
    admin.get_by_role("button", name="Record the status change").click()
    expect(messages(admin)).to_contain_text("Recorded: October 2011: The two leaders charged")

    visit(visitor, live_server, LEADERS_PATH)
    one = timeline_entry(visitor, "Charged with samoupravstvo")
    expect(one.locator("time")).to_have_text("30 September 2011")
    expect(one.get_by_role("link", name="Nuosulu Sailybaeva", exact=True)).to_be_visible()
    expect(one.get_by_role("link", name="Ainur Kurmanov")).to_have_count(0)
    expect(one.get_by_role("link", name=re.compile(rf"^Source \d: {ARTICLE}$"))).to_be_visible()
    several = timeline_entry(visitor, "The two leaders charged")
    expect(several.locator("time")).to_have_text("October 2011")
    for name in ("Ainur Kurmanov", "Esenbek Ukteshbayev"):
        expect(several.get_by_role("link", name=name, exact=True)).to_be_visible()
    citation = several.get_by_role(
        "link", name=re.compile(r"^Source \d: Kurmanov and Ukteshbayev charged$")
    )
    expect(visitor.locator(citation.get_attribute("href")).get_by_role("link")).to_have_attribute(
        "href", "https://news.example.org/leaders-charged"
    )
    for name in ("Ainur Kurmanov", "Esenbek Ukteshbayev", "Nuosulu Sailybaeva"):
        person = visitor.get_by_role("listitem").filter(
            has=visitor.get_by_role("heading", name=name)
        )
        expect(person).to_contain_text("Charged")
    assert browser_problems == []


# Photos


def make_photo(path, size, colour):
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


def test_an_editor_uploads_replaces_and_takes_down_a_photo_and_the_public_person_page_follows(
    live_server, demo, editor, page_cache, served_media, new_page, tmp_path, browser_problems
):
    person = Person.objects.get(slug="nuosulu-sailybaeva")
    person_path = "/people/nuosulu-sailybaeva/"
    placeholder_name = "No photo of Nuosulu Sailybaeva: image not available"
    landscape = make_photo(tmp_path / "landscape.jpg", (900, 600), "steelblue")
    portrait = make_photo(tmp_path / "portrait.jpg", (600, 900), "darkred")

    visitor = new_page()
    served_media(visitor.context)
    visit(visitor, live_server, person_path)
    expect(visitor.get_by_role("img", name=placeholder_name)).to_be_visible()

    admin = new_page()
    served_media(admin.context)
    log_in(admin, live_server, editor, f"/admin/cases/person/{person.pk}/change/")
    photo = admin.locator("#photo-0")  # the inline (not its template for another)
    photo.get_by_label("Image").set_input_files(landscape)
    photo.get_by_label("Alt text").fill("Nuosulu Sailybaeva outside her family's home")
    photo.get_by_label("Credit").fill("Kazakhstan Solidarity")
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")
    expect(photo.get_by_role("img")).to_have_attribute(
        "alt", "Nuosulu Sailybaeva outside her family's home"
    )

    visit(visitor, live_server, person_path)
    shown = visitor.get_by_role("img", name="Nuosulu Sailybaeva outside her family's home")
    expect(shown).to_be_visible()
    assert shown.evaluate("image => image.complete && image.naturalWidth > 0")
    assert int(shown.get_attribute("width")) > int(shown.get_attribute("height"))
    expect(visitor.get_by_text("Photo: Kazakhstan Solidarity")).to_be_visible()
    first_address = shown.get_attribute("src")

    photo.get_by_label("Image").set_input_files(portrait)
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")

    visit(visitor, live_server, person_path)
    expect(shown).to_be_visible()
    assert shown.get_attribute("src") != first_address
    assert shown.evaluate("image => image.complete && image.naturalWidth > 0")
    assert int(shown.get_attribute("width")) < int(shown.get_attribute("height"))

    photo.get_by_label("Delete").check()
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")
    expect(photo).to_contain_text("No picture yet")

    visit(visitor, live_server, person_path)
    expect(visitor.get_by_role("img", name=placeholder_name)).to_be_visible()
    expect(visitor.get_by_text("Photo: Kazakhstan Solidarity")).to_have_count(0)
    assert not Picture.objects.exists()
    assert not any(path.is_file() for path in (tmp_path / "media").rglob("*"))
    assert browser_problems == []


# History


def test_an_editor_restores_an_earlier_version_from_the_history_and_the_public_sees_it_again(
    live_server, sokolova_case, editor, page_cache, new_page, browser_problems
):
    visitor = new_page()
    visit(visitor, live_server, CASE_PATH)
    admin = log_in(new_page(), live_server, editor, case_admin_path(sokolova_case))
    admin.get_by_label("Summary (English)").fill("A summary saved by mistake.")
    admin.get_by_role("button", name="Save and continue editing").click()
    expect(messages(admin)).to_contain_text("was changed successfully")
    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text("A summary saved by mistake.")).to_be_visible()

    admin.get_by_role("link", name="History").click()
    versions = admin.locator("#change-history tbody tr")
    expect(versions.first).to_contain_text("amina")
    expect(versions.first).to_contain_text("A summary saved by mistake.")
    versions.nth(1).get_by_role("link", name=CASE_TITLE).click()  # the version before it
    expect(admin.get_by_label("Summary (English)")).to_have_value(re.compile(f"^{SUMMARY_START}"))
    admin.get_by_role("button", name="Revert").click()
    expect(messages(admin)).to_contain_text("was changed successfully")

    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text(SUMMARY_START)).to_be_visible()
    expect(visitor.get_by_text("A summary saved by mistake.")).to_have_count(0)
    sokolova_case.refresh_from_db()
    assert sokolova_case.summary.startswith(SUMMARY_START)
    assert sokolova_case.publication_state == PublicationState.PUBLISHED
    assert browser_problems == []


def test_the_second_of_two_editors_saving_the_same_case_is_told_who_changed_what_and_nothing_is_saved(
    live_server, sokolova_case, editor, other_editor, page_cache, new_page, browser_problems
):
    visitor = new_page()
    visit(visitor, live_server, CASE_PATH)
    amina = log_in(new_page(), live_server, editor, case_admin_path(sokolova_case))
    boris = log_in(new_page(), live_server, other_editor, case_admin_path(sokolova_case))

    amina.get_by_label("Summary (English)").fill("Amina's summary.")
    boris.get_by_label("Title (English)").fill("Boris's title")
    boris.get_by_label("Summary (English)").fill("Boris's summary.")
    amina.get_by_role("button", name="Save", exact=True).click()
    expect(messages(amina)).to_contain_text("was changed successfully")
    boris.get_by_role("button", name="Save", exact=True).click()

    expect(boris.locator(".errornote")).to_be_visible()
    expect(boris.locator(".errorlist.nonfield")).to_have_text(
        re.compile(
            r"^amina saved this case at .+, after you opened it, and changed: Summary \(English\)\. "
            r"Nothing you typed has been saved"
        )
    )
    expect(boris.get_by_label("Title (English)")).to_have_value("Boris's title")  # to copy
    sokolova_case.refresh_from_db()
    assert sokolova_case.summary == "Amina's summary."
    assert CASE_TITLE.search(sokolova_case.title)

    visit(visitor, live_server, CASE_PATH)
    expect(visitor.get_by_text("Amina's summary.")).to_be_visible()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(CASE_TITLE)
    assert browser_problems == []


# Deleting, and what editors may not do


def test_a_publisher_cannot_delete_a_case_that_was_public_and_is_told_to_withdraw_it(
    live_server, sokolova_case, publisher, page_cache, new_page, browser_problems
):
    visitor = new_page()
    visit(visitor, live_server, CASE_PATH)
    admin = log_in(new_page(), live_server, publisher, case_admin_path(sokolova_case))
    expect(admin.get_by_role("button", name="Withdraw from the public site")).to_be_visible()
    expect(admin.get_by_role("link", name="Delete", exact=True)).to_have_count(0)
    expect(admin.get_by_role("region", name=re.compile("^Publication"))).to_contain_text(
        "A case that was ever public is withdrawn, never deleted"
    )

    admin.locator("#nav-sidebar .model-case").get_by_role("link", name="Cases").click()
    admin.get_by_role(
        "checkbox", name=re.compile("^Select this object .* Natalia Sokolova")
    ).check()
    admin.locator("select[name=action]").select_option(label="Delete selected cases")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator("#content")).to_contain_text(
        "was published: withdraw it instead of deleting it."
    )
    expect(admin.get_by_role("button", name=re.compile("Yes"))).to_have_count(0)

    assert Case.objects.filter(pk=sokolova_case.pk).exists()
    assert visit(visitor, live_server, CASE_PATH) == 200
    assert browser_problems == []


def test_a_publisher_deletes_a_draft_and_is_asked_to_confirm_only_what_editors_made(
    live_server, draft, publisher, page_cache, new_page, browser_problems
):
    visitor = new_page()
    admin = log_in(new_page(), live_server, publisher, case_admin_path(draft))

    admin.get_by_role("link", name="Delete", exact=True).click()

    content = admin.locator("#content")
    expect(content).to_contain_text(f'Are you sure you want to delete the case "{DRAFT_TITLE}"?')
    summary = content.locator("h2:has-text('Summary') + ul > li")
    expect(summary).to_have_text(
        ["Cases: 1", "People in the case: 1", "Status changes: 1", "People concerned: 1"]
    )
    listed = content.locator("h2:has-text('Objects') + ul")
    expect(listed).to_contain_text(f"Case: {DRAFT_TITLE}")
    expect(listed).to_contain_text("Person in the case: Kulzhan Sailybaeva (accused)")
    expect(listed).to_contain_text(f"Status change: 14 September 2011: {DRAFT_HEADLINE}")
    expect(listed).to_contain_text("Person concerned: Kulzhan Sailybaeva")
    expect(content).not_to_contain_text("year", ignore_case=True)
    assert draft.years.exists()  # deleted with the case, but no editor's row

    admin.get_by_role("button", name=re.compile("^Yes")).click()

    expect(messages(admin)).to_contain_text(f"The case “{DRAFT_TITLE}” was deleted successfully.")
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert is_not_found(visitor, live_server, DRAFT_PATH, browser_problems)
    assert browser_problems == []


def crafted_post(page, live_server, path, data=None):
    """POST to PATH from the page's context, with its session and a valid CSRF
    token, as a script or a forged form would: no button involved."""
    name = settings.CSRF_COOKIE_NAME  # __Host-csrftoken: the tests keep production's cookies
    token = next(c["value"] for c in page.context.cookies() if c["name"] == name)
    return page.context.request.post(
        live_server.url + path,
        form={"csrfmiddlewaretoken": token, **(data or {})},
        headers={"X-CSRFToken": token, "Referer": page.url, "Origin": live_server.url},
        max_redirects=0,
    )


def test_an_editor_sees_no_publish_withdraw_or_delete_and_a_crafted_post_is_refused(
    live_server, sokolova_case, draft, editor, page_cache, new_page, browser_problems
):
    visitor = new_page()
    assert visit(visitor, live_server, CASE_PATH) == 200
    admin = log_in(new_page(), live_server, editor, case_admin_path(sokolova_case))
    expect(admin.get_by_role("heading", name="Publication: published")).to_be_visible()
    expect(admin.get_by_role("button", name="Withdraw from the public site")).to_have_count(0)
    expect(admin.get_by_role("link", name="Delete", exact=True)).to_have_count(0)
    admin.goto(live_server.url + case_admin_path(draft))
    expect(admin.get_by_role("heading", name="Publication: draft")).to_be_visible()
    expect(admin.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    expect(admin.get_by_text("A publisher decides when this case goes public.")).to_be_visible()
    expect(admin.get_by_role("link", name="Delete", exact=True)).to_have_count(0)

    # The session and the token are good: a form the editor may send is answered.
    answer = crafted_post(admin, live_server, f"/admin/cases/case/{draft.pk}/record-status-change/")
    assert answer.status == 200
    assert "Please correct the errors below." in answer.text()

    for case, action, data in [
        (draft, "publish", {}),
        (sokolova_case, "withdraw", {}),
        (sokolova_case, "delete", {"post": "yes"}),
        (draft, "delete", {"post": "yes"}),
    ]:
        answer = crafted_post(admin, live_server, f"/admin/cases/case/{case.pk}/{action}/", data)
        assert answer.status == 403, (action, case)

    draft.refresh_from_db()
    sokolova_case.refresh_from_db()
    assert draft.publication_state == PublicationState.DRAFT
    assert sokolova_case.publication_state == PublicationState.PUBLISHED
    assert is_not_found(visitor, live_server, DRAFT_PATH, browser_problems)
    assert visit(visitor, live_server, CASE_PATH) == 200
    assert browser_problems == []
