"""The home page, /: the latest status changes, counts and the way into the list."""

import datetime

import pytest

from cases.models import DatePrecision
from cases.views import LATEST_CHANGES_ON_HOME

from .conftest import cited, html_of, record


@pytest.fixture
def cases(make_case, make_person):
    kz = make_case("Kurmanov case", slug="kurmanov", country="KZ", people=[make_person("Ainur")])
    record(
        kz,
        "witness",
        datetime.date(2011, 1, 1),
        "Questioned",
        date_precision=DatePrecision.YEAR,
        sources=[cited()],
    )
    record(kz, "suspect", datetime.date(2011, 9, 14), "Now suspects", sources=[cited()])
    ru = make_case("Moscow case", slug="moscow", country="RU", people=[make_person("Ivan")])
    record(
        ru,
        "imprisoned",
        datetime.date(2012, 3, 1),
        "Jailed",
        date_precision=DatePrecision.MONTH,
        sources=[cited()],
    )
    make_case("Quiet case", country="KZ")
    draft = make_case("Draft case", country="BY", people=[make_person("Hidden")], published=False)
    record(draft, "released", datetime.date(2013, 1, 1), "Secret headline", sources=[cited()])
    return kz, ru


def test_it_shows_the_latest_status_changes_of_published_cases_newest_first(client, cases):
    response = client.get("/")

    assert response.status_code == 200
    assert [change.headline for change in response.context["latest_changes"]] == [
        "Jailed",
        "Now suspects",
        "Questioned",
    ]
    html = html_of(response)
    assert 'href="/cases/moscow/"' in html
    assert '<time datetime="2012-03">March 2012</time>' in html
    assert '<time datetime="2011">2011</time>' in html
    assert 'href="/people/' in html


def test_it_never_shows_drafts(client, cases):
    html = html_of(client.get("/"))

    assert "Secret headline" not in html
    assert "Draft case" not in html
    assert "Hidden" not in html
    assert "Belarus" not in html
    assert "Released" not in html


def test_it_counts_published_cases_by_country_and_status_with_links_into_the_list(client, cases):
    response = client.get("/")

    assert [(c.code, n) for c, n in response.context["countries"]] == [("KZ", 2), ("RU", 1)]
    assert [(s.value, n) for s, n in response.context["statuses"]] == [
        ("suspect", 1),
        ("imprisoned", 1),
    ]
    assert response.context["case_count"] == 3
    html = html_of(response)
    assert 'href="/cases/?country=KZ">Kazakhstan</a>' in html
    assert 'href="/cases/?status=imprisoned">Imprisoned</a>' in html
    assert "2 cases" in html


def test_it_has_a_search_form_and_a_link_to_the_list(client, cases):
    html = html_of(client.get("/"))

    assert '<form class="search" method="get" action="/cases/" role="search">' in html
    assert '<label for="home-q">' in html
    assert 'name="q"' in html
    assert 'href="/cases/">Browse all cases</a>' in html


def test_it_has_one_h1_landmarks_and_open_graph_tags(client, cases):
    html = html_of(client.get("/"))

    assert html.count("<h1") == 1
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert '<a class="skip-link" href="#main">' in html
    assert "<title>Repression tracker</title>" in html
    assert '<meta property="og:title" content="Repression tracker">' in html
    assert '<meta name="description" content="' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_it_says_so_when_nothing_is_published(client, db):
    html = html_of(client.get("/"))

    assert "No status changes have been published yet." in html
    assert "No cases have been published yet." in html


def test_it_shows_a_limited_number_of_changes(client, make_case, make_person):
    case = make_case(people=[make_person()])
    for day in range(LATEST_CHANGES_ON_HOME + 3):
        record(
            case,
            "charged",
            datetime.date(2011, 1, 1) + datetime.timedelta(days=day),
            "Entry",
            sources=[cited()],
        )

    response = client.get("/")

    assert len(response.context["latest_changes"]) == LATEST_CHANGES_ON_HOME


def test_the_visitor_can_go_from_home_to_a_kazakh_samoupravstvo_case_and_its_sourced_timeline(
    client, make_case, make_person, make_charge, make_source
):
    samoupravstvo = make_charge("arbitrariness", slug="samoupravstvo")
    article = make_source("Dictatorial regime threatens socialist activists", publisher="CWI")
    case = make_case(
        "Socialist Movement Kazakhstan leaders",
        slug="smk",
        country="KZ",
        people=[make_person("Ainur Kurmanov")],
        charges=[samoupravstvo],
    )
    make_case("Another Kazakh case", country="KZ")
    make_case("A Russian case", country="RU", charges=[make_charge(country="RU")])
    record(case, "suspect", datetime.date(2011, 9, 14), "Now suspects", sources=[article])

    home = html_of(client.get("/"))
    assert 'href="/cases/?country=KZ"' in home

    kazakh = client.get("/cases/?country=KZ")
    assert len(kazakh.context["page"].object_list) == 2
    assert 'value="samoupravstvo"' in html_of(kazakh)

    narrowed = client.get("/cases/?country=KZ&charge=samoupravstvo")
    assert [c.title for c in narrowed.context["page"].object_list] == [
        "Socialist Movement Kazakhstan leaders"
    ]
    assert 'href="/cases/smk/"' in html_of(narrowed)

    page = html_of(client.get("/cases/smk/"))
    assert "Now suspects" in page
    assert 'href="#source-1"' in page
    assert "Dictatorial regime threatens socialist activists" in page


@pytest.mark.parametrize("rows", [1, 50])
def test_it_makes_the_same_number_of_queries_whatever_the_number_of_cases_and_changes(
    client, make_case, make_person, rows, django_assert_num_queries
):
    for number in range(rows):
        case = make_case(
            country=["KZ", "RU", "BY", "UZ"][number % 4], people=[make_person(), make_person()]
        )
        record(
            case,
            ["charged", "imprisoned"][number % 2],
            datetime.date(2011, 1, 1),
            "Entry",
            sources=[cited()],
        )

    # The latest changes with their cases, their people (2); the version of
    # the public data (1), and for a version not seen yet the counts of the
    # list's filters: countries, statuses, charges, organisations, years (5),
    # and the headline figures: people held now, by country, detained, released (4).
    with django_assert_num_queries(12):
        response = client.get("/")
    # The counts are cached until the next edit.
    with django_assert_num_queries(3):
        client.get("/")

    assert response.status_code == 200
