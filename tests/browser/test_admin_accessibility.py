"""The editors' admin, for editors who use a screen reader, a keyboard or a phone:
axe-core finds no WCAG 2.1 A/AA violation on its pages, every field has a name,
and the record form is readable at desktop and phone widths."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from cases.models import Case, Detention, Person

from .chromium import DESKTOP, PHONE
from .conftest import EDITOR_PASSWORD
from .test_accessibility import WCAG_21_AA

CASE_SLUG = "socialist-movement-kazakhstan-samoupravstvo"


def case_path(view):
    return f"/admin/cases/case/{Case.objects.get(slug=CASE_SLUG).pk}/{view}/"


PAGES = {
    "admin index": lambda: "/admin/",
    "case list": lambda: "/admin/cases/case/",
    "case form with its inlines": lambda: case_path("change"),
    "record a status change": lambda: case_path("record-status-change"),
    "case form with its table of detentions": lambda: (
        f"/admin/cases/case/{Case.objects.get(slug='natalia-sokolova').pk}/change/"
    ),
    "a detention's own page": lambda: (
        f"/admin/cases/detention/{Detention.objects.get(case__slug='natalia-sokolova').pk}/change/"
    ),
    "person form": lambda: (
        f"/admin/cases/person/{Person.objects.get(slug='kulzhan-sailybaeva').pk}/change/"
    ),
}


def log_in(page, base_url, user):
    """Through the login form, as the editor does."""
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Cases, people and sources")).to_be_visible()


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_wcag_21_aa_violation_on_the_admin_pages(
    live_server, demo, editor, page, browser_problems, path
):
    log_in(page, live_server.url, editor)
    page.goto(live_server.url + path())
    # The searchable dropdowns are named by a script once select2 has built them.
    expect(page.locator(".select2-selection[aria-labelledby*=' id_']")).to_have_count(
        page.locator("select.admin-autocomplete:not([name*=__prefix__])").count()
    )
    results = Axe().run(page, options=WCAG_21_AA)
    serious = [
        violation["id"]
        for violation in results.response["violations"]
        if violation["impact"] in ("critical", "serious")
    ]
    assert serious == [], results.generate_report()
    assert results.violations_count == 0, results.generate_report()
    assert browser_problems == []


def test_a_screen_reader_names_each_field_in_the_rows_of_the_case_s_people(
    live_server, demo, editor, page
):
    log_in(page, live_server.url, editor)
    page.goto(live_server.url + case_path("change"))
    people = page.get_by_role("group", name="People in the case")
    ainur = people.get_by_role("row").filter(has_text="Ainur Kurmanov (accused)")

    # A table's cells have no <label>: each field is named after its column,
    # and the searchable dropdown by its column and its choice.
    expect(ainur.get_by_role("combobox", name="Person Ainur Kurmanov", exact=True)).to_be_visible()
    expect(ainur.get_by_role("combobox", name="Role in the case", exact=True)).to_have_value(
        "accused"
    )
    expect(ainur.get_by_role("textbox", name="Note", exact=True)).to_be_editable()

    # A field with a <label> of its own: the institution a call to action is sent to.
    targets = page.get_by_role("group", name="Call to action targets")
    expect(
        targets.get_by_role("combobox", name="Institution: Supreme Court of Kazakhstan", exact=True)
    ).to_be_visible()
    # ... and one whose institution is still to be chosen is named all the same.
    expect(targets.get_by_role("combobox", name="Institution:", exact=True).first).to_be_visible()


def test_the_search_field_of_an_open_dropdown_is_named_after_its_field(
    live_server, demo, editor, page
):
    log_in(page, live_server.url, editor)
    page.goto(live_server.url + case_path("change"))
    page.get_by_role("combobox", name="Person Ainur Kurmanov", exact=True).click()

    search = page.get_by_role("searchbox", name="Person", exact=True)
    expect(search).to_be_focused()
    search.fill("Sailyb")
    expect(page.get_by_role("option", name="Kulzhan Sailybaeva")).to_be_visible()


def test_a_row_added_to_the_case_s_people_has_named_fields_too(live_server, demo, editor, page):
    log_in(page, live_server.url, editor)
    page.goto(live_server.url + case_path("change"))
    people = page.locator("#participants-group")
    before = people.get_by_role("combobox", name=re.compile("^Person")).count()

    people.get_by_role("button", name="Add another Person in the case").click()

    expect(people.get_by_role("combobox", name="Person", exact=True)).to_have_count(1)
    expect(people.get_by_role("combobox", name=re.compile("^Person"))).to_have_count(before + 1)
    expect(people.get_by_role("textbox", name="Note", exact=True)).to_have_count(before + 1)


def text_lines(label):
    """How many lines the text of a checkbox's label takes on the screen."""
    return label.evaluate(
        """(label) => {
            const range = document.createRange();
            range.selectNodeContents(label.lastChild);
            return new Set([...range.getClientRects()].map((line) => Math.round(line.top))).size;
        }"""
    )


@pytest.mark.parametrize(
    "viewport, most_lines", [(DESKTOP, 1), (PHONE, 2)], ids=["1280 px wide", "375 px wide"]
)
def test_the_people_concerned_by_a_status_change_are_listed_one_to_a_line(
    live_server, demo, editor, new_page, viewport, most_lines
):
    # Django gives the labels of an aligned form a column of 160 px: each name
    # with its role and status wrapped over three lines.
    page = new_page(viewport=viewport)
    log_in(page, live_server.url, editor)
    page.goto(live_server.url + case_path("record-status-change"))
    people = page.get_by_role("group", name="People concerned")
    labels = people.locator("label")
    expect(labels).to_have_count(5)

    lines = {label.inner_text().strip(): text_lines(label) for label in labels.all()}
    assert lines["Kulzhan Sailybaeva (accused)"] == 1
    assert max(lines.values()) <= most_lines, lines
    everyone = page.get_by_text("All the people in the case")
    assert text_lines(everyone) == 1
