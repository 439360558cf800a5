"""Text from editors is isolated for direction: a right-to-left override
(U+202E) in a name, a title or a headline, typed by mistake or on purpose,
cannot reverse the text the site sets after it."""

import pytest
from playwright.sync_api import expect

from cases.models import Case, Person, StatusChange

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: what follows it is shown reversed
NAME = f"Ainur{RLO}Kurmanov"
CASE_SLUG = "socialist-movement-kazakhstan-samoupravstvo"
CASE_PATH = f"/cases/{CASE_SLUG}/"


TITLE = f"Socialist Movement Kazakhstan leaders{RLO} face “samoupravstvo” charges"
HEADLINE = f"Status changed{RLO} from witnesses to suspects"


@pytest.fixture
def overrides(demo):
    """The demo, with an override in a person's name, the case's title and its headlines."""
    Person.objects.filter(slug="ainur-kurmanov").update(name=NAME)
    Case.objects.filter(slug=CASE_SLUG).update(title=TITLE)
    StatusChange.objects.filter(case__slug=CASE_SLUG).update(headline=HEADLINE)


# Where the editors' texts are set in the page with text of the site after
# them in the same block (paragraph, list item, heading ...) and no element
# that isolates them (<bdi>, or unicode-bidi: isolate): what they would reverse.
EXPOSED_OVERRIDES = """(texts) => {
    const isInline = (element) => getComputedStyle(element).display.startsWith("inline");
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const exposed = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const text = texts.find((text) => node.data.includes(text));
        if (!text) continue;
        let element = node.parentElement;
        let isolated = false;
        while (isInline(element)) {
            if (getComputedStyle(element).unicodeBidi.includes("isolate")) isolated = true;
            element = element.parentElement;
        }
        const after = document.createRange();
        after.setStart(node, node.data.indexOf(text) + text.length);
        after.setEndAfter(element.lastChild);
        if (!isolated && after.toString().trim()) exposed.push(element.outerHTML.slice(0, 300));
    }
    return exposed;
}"""

PAGES = {
    "home page": "/",
    "case list": "/cases/",
    "case list filtered": "/cases/?q=Kurmanov&status=suspect",
    "case page": CASE_PATH,
    "person page": "/people/ainur-kurmanov/",
    "organisation page": "/organisations/socialist-movement-kazakhstan/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_override_typed_by_an_editor_reaches_the_text_after_it(
    live_server, overrides, page, path
):
    page.goto(live_server.url + path)
    expect(page.get_by_text("Kurmanov").first).to_be_attached()
    assert page.evaluate(EXPOSED_OVERRIDES, [NAME, TITLE, HEADLINE]) == []


def test_the_people_after_a_name_with_an_override_read_left_to_right(live_server, overrides, page):
    page.goto(live_server.url + CASE_PATH)
    entry = (
        page.get_by_role("region", name="Timeline")
        .get_by_role("listitem")
        .filter(has_text="from witnesses to suspects")
    )
    concerns = entry.locator(".entry__people")
    expect(concerns).to_contain_text(f"Concerns: {NAME}, Esenbek Ukteshbayev")

    # The box of Ainur's link, and of the comma and name that follow it:
    # reversed, ", Esenbek Ukteshbayev" would be drawn inside the link's box.
    ainur = concerns.get_by_role("link", name=NAME)
    esenbek = concerns.get_by_role("link", name="Esenbek Ukteshbayev")
    assert esenbek.bounding_box()["x"] >= ainur.bounding_box()["x"] + ainur.bounding_box()["width"]
    assert esenbek.evaluate("(link) => getComputedStyle(link).direction") == "ltr"
