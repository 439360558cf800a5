"""Pages rendered afresh (the page cache off) are the same bytes whether the
parts kept between renders (the case's timeline, the counts and choices of
the filters) are kept or not, and a kept timeline follows every edit of what
it shows."""

import datetime

import pytest
from django.core.cache import cache, caches
from django.urls import reverse
from django.utils import translation

from cases.models import Source

from .conftest import record

MEMORY = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
KEPT = {"default": MEMORY, "template_fragments": {**MEMORY, "LOCATION": "fragments"}}
NOTHING = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
NOTHING_KEPT = {"default": NOTHING, "template_fragments": NOTHING}


@pytest.fixture
def socialist_movement(make_case, make_person, make_charge, make_organisation):
    kurmanov = make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    sailybaeva = make_person("Gulnara Sailybaeva", slug="gulnara-sailybaeva")
    case = make_case(
        "Socialist Movement of Kazakhstan",
        slug="socialist-movement",
        people=[kurmanov, sailybaeva],
        charges=[make_charge("arbitrariness", slug="samoupravstvo")],
    )
    case.organisation_links.create(
        organisation=make_organisation("Socialist Movement"), role="targeted"
    )
    record(case, "suspect", datetime.date(2011, 9, 14), "Named as suspects")
    record(
        case,
        "charged",
        datetime.date(2011, 9, 30),
        "Charged",
        participants=[case.participants.first()],
    )
    return case


def addresses(case):
    person = case.participants.first().person
    return [
        reverse("home"),
        reverse("case_list"),
        reverse("case_list") + "?country=KZ&charge=samoupravstvo&q=Kurmanov",
        case.get_absolute_url(),
        person.get_absolute_url(),
        case.organisation_links.first().organisation.get_absolute_url(),
        case.charge_links.first().charge.get_absolute_url(),
    ]


@pytest.mark.parametrize("language", ["", "/ru", "/kk"])
def test_each_kind_of_page_is_the_same_bytes_with_its_parts_kept_or_rendered_afresh(
    client, settings, socialist_movement, language
):
    with translation.override("en"):
        english = addresses(socialist_movement)

    def pages():
        return [client.get(language + address).content for address in english]

    settings.CACHES = NOTHING_KEPT
    afresh = pages()
    settings.CACHES = KEPT
    cache.clear()
    caches["template_fragments"].clear()
    first, kept = pages(), pages()

    assert [len(page) for page in afresh] == [len(page) for page in kept]
    for address, fresh, once, again in zip(english, afresh, first, kept, strict=True):
        assert fresh == once == again, address
    assert b"Named as suspects" in afresh[3]


def test_a_kept_timeline_names_a_person_again_after_they_are_renamed(client, socialist_movement):
    with translation.override("en"):
        address = socialist_movement.get_absolute_url()
    assert "Ainur Kurmanov</bdi>" in client.get(address).text
    person = socialist_movement.participants.first().person
    person.name = "Ainur Kurmanov-Renamed"
    person.save()

    html = client.get(address).text

    timeline = html[
        html.index('class="timeline"') : html.index("</ol>", html.index('class="timeline"'))
    ]
    assert "Ainur Kurmanov-Renamed</bdi>" in timeline
    assert "Ainur Kurmanov</bdi>" not in timeline


def test_a_kept_timeline_shows_a_new_entry_an_edited_headline_and_a_retitled_source(
    client, socialist_movement
):
    with translation.override("en"):
        address = socialist_movement.get_absolute_url()
    client.get(address)
    record(socialist_movement, "convicted", datetime.date(2011, 10, 5), "Convicted")
    change = socialist_movement.status_changes.get(headline="Charged")
    change.headline = "Charged with arbitrariness"
    change.save()
    source = Source.objects.filter(status_change_links__status_change=change).get()
    source.title = "Renamed source"
    source.save()

    html = client.get(address).text

    assert "Convicted" in html
    assert "Charged with arbitrariness" in html
    assert "Source 1: Renamed source" in html
    assert "A report cited by the tests" not in html


def card_of(html: str, title: str) -> str:
    """The card in the list whose title is TITLE."""
    start = html.index(f">{title}</a></h3>")
    return html[html.rindex("<article", 0, start) : html.index("</article>", start)]


def rename_a_person(case):
    person = case.participants.first().person
    person.name = "Ainur Kurmanov-Renamed"
    person.save()
    return "Ainur Kurmanov-Renamed</bdi>"


def rename_a_charge(case):
    charge = case.charge_links.first().charge
    charge.name = "Arbitrariness, renamed"
    charge.save()
    return "Arbitrariness, renamed"


def record_a_conviction(case):
    record(case, "convicted", datetime.date(2011, 10, 5), "Convicted")
    return "Convicted"


def change_a_role(case):
    case.participants.update(role="targeted")
    return "(targeted)"


def edit_the_summary_in_bulk(case):
    # An edit that sets no updated_at is seen too.
    type(case).objects.filter(pk=case.pk).update(summary_en="A summary edited in bulk")
    return "A summary edited in bulk"


@pytest.mark.parametrize(
    "edit",
    [
        rename_a_person,
        rename_a_charge,
        record_a_conviction,
        change_a_role,
        edit_the_summary_in_bulk,
    ],
)
def test_a_kept_card_follows_every_edit_of_what_it_shows(
    client, socialist_movement, make_case, make_person, edit
):
    other = make_case("Another case", people=[make_person("Someone Else")])
    client.get("/cases/")  # both cards rendered and kept

    shown = edit(socialist_movement)
    html = client.get("/cases/").text

    assert shown in card_of(html, socialist_movement.title)
    assert "Someone Else</bdi>" in card_of(html, other.title)


def test_a_kept_card_is_in_the_language_of_the_list(client, socialist_movement):
    english = card_of(client.get("/cases/").text, socialist_movement.title)
    russian = client.get("/ru/cases/").text

    assert "Latest change:" in english
    assert "Latest change:" not in russian
    assert f'href="/ru/cases/{socialist_movement.slug}/"' in russian
    assert "(not translated yet)" not in english


def test_a_card_and_a_timeline_kept_by_the_release_before_a_deploy_are_not_shown_after_it(
    client, socialist_movement, deploy
):
    with translation.override("en"):
        address = socialist_movement.get_absolute_url()
    assert "Latest change:" in card_of(client.get("/cases/").text, socialist_movement.title)
    assert 'class="timeline"' in client.get(address).text  # both kept

    deploy("includes/case_card.html", "Latest change:", "Last change:")
    card = card_of(client.get("/cases/").text, socialist_movement.title)
    deploy("cases/case_detail.html", '<ol class="timeline">', '<ol class="timeline" reversed>')
    page = client.get(address).text

    assert "Last change:" in card
    assert "Latest change:" not in card
    assert '<ol class="timeline" reversed>' in page
