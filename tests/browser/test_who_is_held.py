"""Issue 15's journey: a reader answers "who is held now in Kazakhstan, where,
and how do I write to them" from the home page in three clicks, as an
anonymous visitor, after an editor recorded the facts; every page on the way
is axe-core clean."""

import datetime

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from cases.models import Case, Person, PlaceOfDetention

from ..conftest import detain
from .test_accessibility import WCAG_21_AA


def record_the_facts():
    """What an editor records (through cases.services, as the admin's forms do):
    a place with its address and advice, and Ainur Kurmanov held there since
    his arrest. The demo holds Natalia Sokolova and Evgeniy Zhovtis in prison
    by September 2011, where the source does not say."""
    sizo = PlaceOfDetention(
        name="Pre-trial detention centre No. 1, Almaty",
        other_names="SIZO-1\nЛА-155/18",
        kind="pre_trial_centre",
        country="KZ",
        place="Almaty",
        postal_address="050000, Almaty\nZhandosov St. 3, LA-155/18",
        letters_reach="sometimes",
        letter_language="Russian",
        letter_advice="Letters pass the censor: write in Russian, enclose a stamped envelope.",
    )
    sizo.full_clean()
    sizo.save()
    leaders = Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo")
    kurmanov = Person.objects.get(slug="ainur-kurmanov")
    detain(
        leaders, kurmanov, datetime.date(2011, 9, 14), kind="arrest", end=datetime.date(2011, 9, 16)
    )
    detain(leaders, kurmanov, datetime.date(2011, 9, 16), place=sizo)


def is_accessible(page) -> bool:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    return True


def test_a_reader_finds_who_is_held_in_kazakhstan_where_and_how_to_write_in_three_clicks(
    live_server, demo, page_cache, page, browser_problems
):
    record_the_facts()
    page.goto(live_server.url + "/")
    assert is_accessible(page)

    # 1. Who is held now in Kazakhstan.
    page.get_by_role("link", name="Kazakhstan: 3 held").click()
    expect(page.get_by_role("heading", name="3 people", exact=True)).to_be_visible()
    grid = page.locator(".people-grid")
    expect(grid.get_by_role("link", name="Ainur Kurmanov")).to_be_visible()
    expect(grid.get_by_role("link", name="Natalia Sokolova")).to_be_visible()
    expect(grid.get_by_role("link", name="Evgeniy Zhovtis")).to_be_visible()
    expect(
        grid.get_by_role("link", name="Pre-trial detention centre No. 1, Almaty")
    ).to_be_visible()
    assert is_accessible(page)

    # 2. Where: the facts, first on his page.
    grid.get_by_role("link", name="Ainur Kurmanov").click()
    facts = page.get_by_role("region", name="The facts")
    expect(facts).to_contain_text("held now")
    expect(facts).to_contain_text("since 14 September 2011")
    expect(facts).to_contain_text("Pre-trial detention centre No. 1, Almaty, Almaty")
    expect(facts).to_contain_text("Zhandosov St. 3, LA-155/18")
    assert is_accessible(page)

    # 3. How to write to him.
    facts.get_by_role("link", name="Write a letter to Ainur Kurmanov").click()
    envelope = page.locator(".envelope__address")
    expect(envelope).to_contain_text("Айнур Курманов")
    expect(envelope).to_contain_text("050000, Almaty")
    expect(page.get_by_text("Letters sometimes reach")).to_be_visible()
    expect(page.get_by_text("enclose a stamped envelope")).to_be_visible()
    page.emulate_media(media="print")
    expect(envelope).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Letters sometimes reach")).to_be_hidden()
    page.emulate_media(media="screen")
    assert is_accessible(page)

    # Then, beyond the three clicks: who else is held there.
    page.get_by_role("link", name="Who else is held at Pre-trial detention centre No. 1").click()
    expect(page.get_by_role("heading", name="Held here now")).to_be_visible()
    expect(page.locator(".people-grid")).to_contain_text("Ainur Kurmanov")
    assert is_accessible(page)

    assert browser_problems == []
