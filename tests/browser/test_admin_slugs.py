"""An editor names an organisation in Kazakh in the admin, in a real Chromium:
the address of its page is made from the name with every letter kept."""

import re

from playwright.sync_api import expect

from cases.models import Organisation

from .conftest import EDITOR_PASSWORD


def test_an_editor_adds_an_organisation_named_in_kazakh_and_its_slug_keeps_every_letter(
    live_server, editor, page, browser_problems
):
    page.goto(live_server.url + "/admin/cases/organisation/add/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add organisation")).to_be_visible()

    # Typed, not pasted: a prepopulating script would fill the slug key by key.
    page.get_by_label("Name (English):").press_sequentially("Қазақстан ұлттық кеңесі")
    expect(page.get_by_label("Slug:")).to_have_value("")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page).to_have_url(re.compile(r"/admin/cases/organisation/\d+/change/$"))
    expect(page.get_by_label("Slug:")).to_have_value("qazaqstan-ulttyq-kengesi")
    assert (
        Organisation.objects.get().get_absolute_url() == "/organisations/qazaqstan-ulttyq-kengesi/"
    )
    assert browser_problems == []
