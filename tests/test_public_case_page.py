"""The case page, /cases/<slug>/: the case, its people, charges, call to action and timeline."""

import datetime
import re

import pytest
from django.utils.formats import date_format

from cases.models import (
    CallToActionTarget,
    CaseOrganisation,
    CaseSource,
    Charge,
    DatePrecision,
    PublicationState,
)
from cases.services import record_status_change

from .conftest import cited, html_of


@pytest.fixture
def kurmanov_case(make_case, make_person, make_organisation, make_source, samoupravstvo):
    """The September 2011 story: two leaders become suspects, four people face a charge."""
    ainur = make_person(
        "Ainur Kurmanov",
        slug="ainur-kurmanov",
        name_original="Айнур Курманов",
        occupation="leader of the Socialist Movement Kazakhstan",
    )
    esenbek = make_person("Esenbek Ukteshbayev", slug="esenbek-ukteshbayev")
    case = make_case(
        "Socialist Movement Kazakhstan leaders threatened with samoupravstvo charges",
        slug="smk-leaders",
        summary="The authorities are preparing to move against the movement's leaders.",
        people=[ainur, esenbek],
        charges=[samoupravstvo],
    )
    lpha = make_organisation("Leave People's Homes Alone", slug="lpha", acronym="LPHA")
    CaseOrganisation.objects.create(case=case, organisation=lpha, role="targeted")
    article = make_source(
        "Kazakhstan: Dictatorial regime threatens socialist activists",
        publisher="CWI",
        url="https://www.socialistworld.net/kazakhstan-2011",
        archive_url="https://web.archive.org/web/2011/https://www.socialistworld.net/kazakhstan-2011",
        published_on=datetime.date(2011, 9, 20),
    )
    participants = list(case.participants.order_by("pk"))
    record_status_change(
        case,
        participants=participants,
        status="witness",
        date=datetime.date(2011, 1, 1),
        date_precision=DatePrecision.YEAR,
        headline="Questioned as witnesses",
        sources=[cited()],
    )
    record_status_change(
        case,
        participants=participants,
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Status changed from witnesses to suspects",
        description="The movement's lawyer was phoned by the police.",
        sources=[article],
    )
    record_status_change(
        case,
        participants=participants[:1],
        status="charged",
        date=datetime.date(2011, 9, 1),
        date_precision=DatePrecision.MONTH,
        headline="To be charged by the end of the month",
        sources=[article],
    )
    return case


def test_it_shows_the_case(client, kurmanov_case):
    response = client.get("/cases/smk-leaders/")

    assert response.status_code == 200
    html = html_of(response)
    assert "<h1" in html and html.count("<h1") == 1
    assert "Socialist Movement Kazakhstan leaders threatened with samoupravstvo charges" in html
    assert "Kazakhstan" in html
    assert "preparing to move against the movement" in html


def test_it_shows_the_current_status_of_the_case_and_of_each_person(client, kurmanov_case):
    response = client.get("/cases/smk-leaders/")

    people = response.context["case"].participants.all()
    statuses = {p.person.name: p.get_current_status_display() for p in people}
    # Kurmanov's latest entry is "to be charged", September 2011, recorded after
    # the suspects' one of 14 September: its month overlaps that day, so it
    # comes after it, as recorded. The case is where its worst-off person is.
    assert statuses == {"Ainur Kurmanov": "charged", "Esenbek Ukteshbayev": "suspect"}
    assert response.context["case"].current_status == "charged"
    assert 'class="status status--charged"' in html_of(response)


def test_it_shows_the_people_with_their_role_and_a_portrait_placeholder(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert 'href="/people/ainur-kurmanov/"' in html
    assert "Айнур Курманов" in html
    assert "Accused" in html
    assert html.count("image not available") >= 2
    assert "leader of the Socialist Movement Kazakhstan" in html


def test_a_note_on_a_person_in_the_case_is_shown_unless_it_repeats_their_occupation(
    client, kurmanov_case
):
    kurmanov_case.participants.filter(person__slug="ainur-kurmanov").update(
        note="leader of the Socialist Movement Kazakhstan"
    )
    kurmanov_case.participants.filter(person__slug="esenbek-ukteshbayev").update(
        note="Invited to the OSCE conference in Warsaw"
    )
    html = html_of(client.get("/cases/smk-leaders/"))

    assert html.count("leader of the Socialist Movement Kazakhstan") == 1
    assert '<p class="person-card__note">Invited to the OSCE conference in Warsaw</p>' in html


def test_it_shows_the_charges_with_article_original_name_penalty_and_state(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert 'href="/charges/samoupravstvo/"' in html
    assert "Criminal Code, art. 327" in html
    assert "самоуправство" in html
    assert "up to two years&#x27; imprisonment" in html
    assert "charge-state--filed" in html


def test_a_charge_s_original_name_has_its_transliteration_in_brackets_only_when_both_are_known(
    client, kurmanov_case, samoupravstvo
):
    def original_name():
        html = html_of(client.get("/cases/smk-leaders/"))
        return html.split("Original name</dt><dd>")[1].split("</dd>")[0]

    assert original_name() == '<bdi lang="">самоуправство</bdi> (<i><bdi>samoupravstvo</bdi></i>)'
    Charge.objects.filter(pk=samoupravstvo.pk).update(name_original="")
    assert original_name() == "<i><bdi>samoupravstvo</bdi></i>"
    Charge.objects.filter(pk=samoupravstvo.pk).update(
        name_original="<самоуправство>", name_transliterated=""
    )
    assert original_name() == '<bdi lang="">&lt;самоуправство&gt;</bdi>'


def test_it_shows_the_organisations(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert 'href="/organisations/lpha/"' in html
    assert "Leave People&#x27;s Homes Alone (LPHA)" in html


def test_it_shows_the_call_to_action_with_mailto_and_tel_links(client, kurmanov_case):
    kurmanov_case.call_to_action = "Send urgent protests to the authorities."
    kurmanov_case.save()
    CallToActionTarget.objects.create(
        case=kurmanov_case,
        addressee="Head of the Supreme Court of Kazakhstan",
        email="Rahimbekova@supcourt.kz",
        copy_to="Kulumbetova@supcourt.kz, pressa@supcourt.kz",
        phone="+7 7172 747570",
    )
    CallToActionTarget.objects.create(
        case=kurmanov_case,
        kind="copy",
        addressee="Kazakhstan Solidarity",
        email="KazakhstanSolidarity@gmail.com",
    )

    response = client.get("/cases/smk-leaders/")

    html = html_of(response)
    assert "Send urgent protests to the authorities." in html
    assert 'href="mailto:Rahimbekova@supcourt.kz"' in html
    assert 'href="mailto:pressa@supcourt.kz"' in html
    assert 'href="tel:+77172747570"' in html
    assert 'href="#take-action"' in html
    # Those to protest to come before those to send copies to.
    assert html.index("Head of the Supreme Court") < html.index("Kazakhstan Solidarity")


def test_it_has_no_call_to_action_section_when_there_is_none(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert 'id="take-action"' not in html
    assert 'href="#take-action"' not in html


def test_the_timeline_is_an_ordered_list_in_date_order(client, kurmanov_case):
    response = client.get("/cases/smk-leaders/")

    headlines = [change.headline for change, _sources in response.context["timeline"]]
    # Recorded third, dated September 2011: that month may be after 14
    # September, so the entry stays where it was recorded, after it.
    assert headlines == [
        "Questioned as witnesses",
        "Status changed from witnesses to suspects",
        "To be charged by the end of the month",
    ]
    html = html_of(response)
    timeline = html[html.index('<ol class="timeline">') :]
    positions = [timeline.index(headline) for headline in headlines]
    assert positions == sorted(positions)


def test_entries_on_the_same_day_keep_the_order_they_were_recorded_in(
    client, make_case, make_person
):
    case = make_case(slug="same-day", people=[make_person()])
    participant = case.participants.get()
    for headline in ("Arrested", "Charged", "Remanded in custody"):
        record_status_change(
            case,
            participants=[participant],
            status="charged",
            date=datetime.date(2012, 1, 5),
            headline=headline,
            sources=[cited()],
        )

    response = client.get("/cases/same-day/")

    assert [change.headline for change, _ in response.context["timeline"]] == [
        "Arrested",
        "Charged",
        "Remanded in custody",
    ]


def test_dates_keep_their_precision(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert '<time datetime="2011">2011</time>' in html
    assert '<time datetime="2011-09">September 2011</time>' in html
    day = date_format(datetime.date(2011, 9, 14), "DATE_FORMAT")
    assert f'<time datetime="2011-09-14">{day}</time>' in html
    # Neither a month nor a year is ever shown with an invented day.
    first_of_september = date_format(datetime.date(2011, 9, 1), "DATE_FORMAT")
    first_of_january = date_format(datetime.date(2011, 1, 1), "DATE_FORMAT")
    assert first_of_september not in html
    assert first_of_january not in html


def test_the_latest_change_is_shown_with_its_own_precision(client, make_case, make_person):
    case = make_case(slug="month-only", people=[make_person()])
    record_status_change(
        case,
        participants=case.participants.all(),
        status="imprisoned",
        date=datetime.date(2012, 3, 1),
        date_precision=DatePrecision.MONTH,
        headline="Imprisoned",
        sources=[cited()],
    )

    html = html_of(client.get("/cases/month-only/"))

    assert '<time datetime="2012-03">March 2012</time>' in html
    assert date_format(datetime.date(2012, 3, 1), "DATE_FORMAT") not in html


def test_each_entry_names_its_people_and_numbers_its_sources(client, kurmanov_case):
    response = client.get("/cases/smk-leaders/")

    timeline = response.context["timeline"]
    _witnesses, (suspects, suspect_sources), (charged, charged_sources) = timeline
    # Both entries cite the one article: it has the same number in both.
    assert [number for number, _ in suspect_sources] == [number for number, _ in charged_sources]
    assert len(suspect_sources) == 1
    assert [p.participant.person.name for p in charged.participant_links.all()] == [
        "Ainur Kurmanov"
    ]
    html = html_of(response)
    assert 'href="#source-1"' in html
    assert 'id="source-1"' in html
    assert 'href="https://www.socialistworld.net/kazakhstan-2011"' in html
    assert "Archived copy" in html
    assert "The movement&#x27;s lawyer was phoned by the police." in html


def test_sources_are_numbered_by_first_citation_then_the_case_sources(
    client, make_case, make_person, make_source
):
    first, second, background = make_source("First"), make_source("Second"), make_source("Bio")
    case = make_case(slug="numbered", people=[make_person()])
    CaseSource.objects.create(case=case, source=background)
    CaseSource.objects.create(case=case, source=second)
    participants = case.participants.all()
    record_status_change(
        case, participants=participants, status="suspect", date=datetime.date(2011, 9, 14),
        headline="Later", sources=[first, second],
    )  # fmt: skip
    record_status_change(
        case, participants=participants, status="witness", date=datetime.date(2011, 5, 1),
        headline="Earlier", sources=[second],
    )  # fmt: skip

    response = client.get("/cases/numbered/")

    assert [s.title for s in response.context["sources"]] == ["Second", "First", "Bio"]
    numbers = [[n for n, _ in cited] for _change, cited in response.context["timeline"]]
    assert numbers == [[1], [2, 1]]


def test_a_source_address_that_is_not_http_is_not_a_link(client, kurmanov_case, make_source):
    bad = make_source("Odd source", url="javascript:alert(1)")
    CaseSource.objects.create(case=kurmanov_case, source=bad)

    html = html_of(client.get("/cases/smk-leaders/"))

    assert "Odd source" in html
    assert "javascript:" not in html


def test_it_escapes_what_editors_write(client, make_case, make_person):
    make_case(
        "<script>alert('title')</script>",
        slug="escaped",
        summary="<b>bold</b>",
        people=[make_person("<img src=x onerror=alert(1)>")],
    )

    html = html_of(client.get("/cases/escaped/"))

    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_it_lists_related_published_cases(client, kurmanov_case, make_case, samoupravstvo):
    make_case("Another samoupravstvo case", slug="another", charges=[samoupravstvo])
    make_case("A draft samoupravstvo case", charges=[samoupravstvo], published=False)
    make_case("An unrelated case", slug="unrelated")

    response = client.get("/cases/smk-leaders/")

    assert [c.title for c in response.context["related_cases"]] == ["Another samoupravstvo case"]


def test_it_shows_when_the_page_was_last_updated(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert "Page last updated:" in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)


def test_it_has_a_title_description_and_open_graph_tags(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert "<title>Socialist Movement Kazakhstan leaders threatened" in html
    assert '<meta name="description" content="The authorities are preparing' in html
    assert '<meta property="og:title" content="Socialist Movement Kazakhstan leaders' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="http://testserver/cases/smk-leaders/">' in html


def test_it_links_a_stylesheet_with_print_rules_and_nothing_external(client, kurmanov_case):
    html = html_of(client.get("/cases/smk-leaders/"))

    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert not re.search(r'(src|href)="(https?:)?//(?!testserver)[^"]*\.(css|js|woff2?)', html)
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css")) as stylesheet:
        assert "@media print" in stylesheet.read()


@pytest.mark.parametrize("state", [PublicationState.DRAFT, PublicationState.WITHDRAWN])
def test_a_case_that_is_not_published_is_a_404(client, make_case, state):
    make_case("Secret", slug="secret", published=False, publication_state=state)

    response = client.get("/cases/secret/")

    assert response.status_code == 404
    assert "Secret" not in html_of(response)


def test_an_unknown_case_is_a_404(client, db):
    assert client.get("/cases/no-such-case/").status_code == 404


def test_it_does_not_accept_post(client, kurmanov_case):
    assert client.post("/cases/smk-leaders/").status_code == 405


@pytest.mark.parametrize("rows", [1, 50])
def test_it_makes_the_same_number_of_queries_whatever_the_number_of_people_and_changes(
    client, make_case, make_person, make_charge, make_organisation, make_source, rows,
    django_assert_num_queries,
):  # fmt: skip
    case = make_case(
        slug="big",
        people=[make_person() for _ in range(rows)],
        charges=[make_charge() for _ in range(rows)],
    )
    for _ in range(rows):
        CaseOrganisation.objects.create(case=case, organisation=make_organisation(), role="other")
        CallToActionTarget.objects.create(case=case, addressee="Office", email="a@example.org")
        CaseSource.objects.create(case=case, source=make_source())
    participants = list(case.participants.all())
    for day in range(rows):
        record_status_change(
            case,
            participants=participants,
            status="charged",
            date=datetime.date(2011, 1, 1) + datetime.timedelta(days=day),
            headline=f"Entry {day}",
            sources=[make_source()],
        )
    make_case(slug="related", people=[participants[0].person])

    # The case and its 5 prefetched relations (6), the timeline with its people
    # and sources (3), the related cases: those sharing a person, a charge or an
    # organisation (3), then those cases with their people and charges (3);
    # the facts panel: the people's detentions with their places, their verdicts (2).
    with django_assert_num_queries(17):
        response = client.get("/cases/big/")

    assert response.status_code == 200
    assert len(response.context["timeline"]) == rows
    assert html_of(response).count('class="person-card"') == rows
