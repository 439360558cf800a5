"""The facts panel, first on case and person pages: who is held now, since when,
for how many days, on which charges; then the timeline, then the long text."""

import datetime

import pytest
from django.utils import timezone

from cases.models import DatePrecision, Person, PlaceOfDetention, Verdict

from .conftest import detain, html_of, record


@pytest.fixture
def kurmanov_case(make_case, make_person, samoupravstvo):
    kurmanov = make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    sokolova = make_person("Natalia Sokolova", slug="natalia-sokolova")
    case = make_case(
        "Socialist Movement leaders",
        slug="smk",
        people=[kurmanov, sokolova],
        charges=[samoupravstvo],
        summary="A long summary of the case. " * 50,
    )
    case.participants.create(person=make_person("Prosecutor Nurlan"), role="official")
    return case


def panel(html: str) -> str:
    return html[
        html.index('class="facts-panel"') : html.index(
            "</section>", html.index('class="facts-panel"')
        )
    ]


def test_the_panel_says_who_is_held_since_when_where_and_how_to_write(client, kurmanov_case):
    sokolova = Person.objects.get(slug="natalia-sokolova")
    kurmanov = Person.objects.get(slug="ainur-kurmanov")
    sizo = PlaceOfDetention.objects.create(
        name="SIZO-1, Almaty",
        slug="sizo-1",
        kind="pre_trial_centre",
        country="KZ",
        place="Almaty",
        postal_address="050000, Almaty\nZhandosov St. 3 <LA-155/18>",
    )
    arrested = timezone.localdate() - datetime.timedelta(days=40)
    moved = timezone.localdate() - datetime.timedelta(days=38)
    detain(kurmanov_case, sokolova, arrested, kind="arrest", end=moved)
    detain(kurmanov_case, sokolova, moved, place=sizo)
    detain(
        kurmanov_case,
        kurmanov,
        datetime.date(2011, 9, 14),
        end=datetime.date(2011, 9, 20),
    )
    record(
        kurmanov_case,
        "released",
        datetime.date(2011, 9, 20),
        participants=kurmanov_case.participants.filter(person=kurmanov),
    )

    facts = panel(html_of(client.get("/cases/smk/")))

    assert "Natalia Sokolova</a>:" in facts
    assert "held now</strong>\n            (pre-trial detention)" in facts
    assert f'since <time datetime="{arrested.isoformat()}">' in facts  # the arrest began it
    assert "40 days" in facts
    assert 'href="/places/sizo-1/"><bdi>SIZO-1, Almaty</bdi></a>, <bdi>Almaty</bdi>' in facts
    assert "Zhandosov St. 3 &lt;LA-155/18&gt;" in facts  # escaped
    assert 'href="/people/natalia-sokolova/letter/"' in facts
    assert "not held now" in facts  # Kurmanov, released
    assert "Prosecutor Nurlan" not in facts
    assert "arbitrariness</a> (Criminal Code, art. 327): filed" in facts


def test_held_by_a_date_known_to_the_month_gives_at_least_so_many_days(client, kurmanov_case):
    detain(
        kurmanov_case,
        Person.objects.get(slug="ainur-kurmanov"),
        datetime.date(2011, 9, 1),
        start_precision=DatePrecision.MONTH,
        may_have_begun_earlier=True,
        kind="prison",
    )
    days = (timezone.localdate() - datetime.date(2011, 9, 30)).days

    facts = panel(html_of(client.get("/cases/smk/")))

    assert 'held by <time datetime="2011-09">September 2011</time>' in facts
    assert f"at least {days} days" in facts
    assert "Where: not known" in " ".join(facts.split())
    assert "/letter/" not in facts


def test_the_sentence_and_expected_release_are_shown_at_their_precision(client, kurmanov_case):
    kurmanov = kurmanov_case.participants.get(person__slug="ainur-kurmanov")
    Verdict.objects.create(
        participant=kurmanov,
        date=datetime.date(2012, 6, 1),
        date_precision=DatePrecision.MONTH,
        outcome="convicted",
        sentence_kind="imprisonment",
        term_years=5,
        sentence_start=datetime.date(2011, 9, 1),
        sentence_start_precision=DatePrecision.MONTH,
        expected_release=datetime.date(2016, 9, 1),
        expected_release_precision=DatePrecision.MONTH,
    )

    facts = " ".join(panel(html_of(client.get("/cases/smk/"))).split())

    assert "Sentence: imprisonment, 5 years" in facts
    assert 'expected release: <time datetime="2016-09">September 2016</time>' in facts


def test_with_nothing_recorded_the_panel_says_so_without_inventing(client, kurmanov_case):
    facts = panel(html_of(client.get("/cases/smk/")))

    assert facts.count("status not recorded") == 2
    assert "held now" not in facts
    assert "days" not in facts
    assert "Sentence" not in facts


def test_the_facts_and_the_timeline_come_before_the_summary_and_the_people_s_cards(
    client, kurmanov_case
):
    record(kurmanov_case, "charged", datetime.date(2011, 8, 1))

    html = html_of(client.get("/cases/smk/"))

    order = [
        html.index('id="case-title"'),
        html.index('class="facts-panel"'),
        html.index('id="timeline-heading"'),
        html.index('class="case__summary"'),
        html.index('id="people-persecuted"'),
        html.index('id="people-officials"'),
    ]
    assert order == sorted(order)


def test_the_person_page_shows_the_facts_of_each_case_then_the_timeline_then_the_bio(
    client, kurmanov_case
):
    kurmanov = kurmanov_case.participants.filter(person__slug="ainur-kurmanov")
    Person.objects.filter(slug="ainur-kurmanov").update(bio="A long biography.")
    record(kurmanov_case, "pre_trial_detention", datetime.date(2011, 9, 14), participants=kurmanov)
    detain(kurmanov_case, Person.objects.get(slug="ainur-kurmanov"), datetime.date(2011, 9, 14))

    html = html_of(client.get("/people/ainur-kurmanov/"))

    facts = panel(html)
    assert "Socialist Movement leaders</a>:" in facts
    assert "held now" in facts
    assert '<time datetime="2011-09-14">' in facts
    order = [
        html.index('class="facts-panel"'),
        html.index('id="person-timeline-heading"'),
        html.index('class="profile__bio"'),
    ]
    assert order == sorted(order)
