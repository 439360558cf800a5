"""The case list, /cases/: filters, search, sorting, pagination and bad parameters."""

import datetime
import re

import pytest
from django.db import connection

from cases.models import CaseOrganisation, CaseParticipant, DatePrecision
from cases.views import CASES_PER_PAGE

from .conftest import cited, html_of, record


def titles(response):
    return [case.title for case in response.context["page"].object_list]


@pytest.fixture
def extremism(make_charge):
    return make_charge("extremism", slug="extremism", country="RU")


@pytest.fixture
def lpha(make_organisation):
    return make_organisation("Leave People's Homes Alone", slug="lpha", acronym="LPHA")


@pytest.fixture
def cases(make_case, make_person, samoupravstvo, extremism, lpha):
    """Three published cases in two countries, and a draft that must never show."""
    kurmanov = make_person(
        "Ainur Kurmanov", name_original="Айнур Курманов", other_names="Kurmanov A.\nAinur Kurmanow"
    )
    nazarbayev = make_person("Nursultan Nazarbayev", other_names="Nazerbayev\nNazarbaev")
    sailybaeva = make_person("Kulzhan Sailybaeva")
    kz = make_case(
        "Socialist Movement leaders face charges",
        slug="smk",
        country="KZ",
        summary="The regime moves against the movement.",
        people=[kurmanov, nazarbayev],
        charges=[samoupravstvo],
        start_date=datetime.date(2011, 9, 1),
        start_date_precision=DatePrecision.MONTH,
    )
    CaseOrganisation.objects.create(case=kz, organisation=lpha, role="targeted")
    record(kz, "suspect", datetime.date(2011, 9, 14), sources=[cited()])
    eviction = make_case(
        "Eviction of the Sailybaeva family",
        slug="eviction",
        country="KZ",
        people=[sailybaeva],
        charges=[samoupravstvo],
        start_date=datetime.date(2010, 1, 1),
        start_date_precision=DatePrecision.YEAR,
    )
    record(
        eviction,
        "charged",
        datetime.date(2012, 2, 1),
        date_precision=DatePrecision.MONTH,
        sources=[cited()],
    )
    ru = make_case(
        "Activists in Moscow accused of extremism",
        slug="moscow",
        country="RU",
        summary="Protesters charged after a rally.",
        charges=[extremism],
        start_date=datetime.date(2013, 5, 6),
    )
    record_draft = make_case(
        "Draft: a case still being checked",
        slug="draft",
        country="BY",
        people=[make_person("Secret Person", other_names="Kurmanov")],
        charges=[samoupravstvo],
        published=False,
    )
    return {"kz": kz, "eviction": eviction, "ru": ru, "draft": record_draft}


# The list


def test_it_lists_published_cases_recently_updated_first(client, cases):
    response = client.get("/cases/")

    assert response.status_code == 200
    # Eviction changed in February 2012, smk in September 2011; Moscow has no timeline.
    assert titles(response) == [
        "Eviction of the Sailybaeva family",
        "Socialist Movement leaders face charges",
        "Activists in Moscow accused of extremism",
    ]
    assert "3 cases" in html_of(response)


def test_it_never_lists_drafts(client, cases):
    html = html_of(client.get("/cases/"))

    assert "Draft: a case still being checked" not in html
    assert "Secret Person" not in html
    assert "Belarus" not in html


def test_it_shows_each_case_with_its_country_status_people_and_charges(client, cases):
    html = html_of(client.get("/cases/"))

    assert 'href="/cases/smk/"' in html
    assert "Kazakhstan" in html
    assert "status--suspect" in html
    assert "Ainur Kurmanov" in html
    assert "<bdi>arbitrariness</bdi> (<bdi>samoupravstvo</bdi>)" in html
    # The latest change of the eviction case is known to the month only.
    assert '<time datetime="2012-02">February 2012</time>' in html


def test_the_page_has_one_h1_a_form_that_works_without_javascript_and_labels(client, cases):
    html = html_of(client.get("/cases/"))

    assert html.count("<h1") == 1
    assert '<form class="filters" method="get" action="/cases/"' in html
    assert '<button type="submit">' in html
    assert '<label for="id_q">Search</label>' in html
    assert '<label for="id_sort">Sort</label>' in html
    assert '<label for="id_country_0"><input type="checkbox" name="country" value="KZ"' in html
    # A plain GET form: the one script only resets it after the Back button.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/case-filters.js" defer>']


# Each filter


def test_country_filter(client, cases):
    response = client.get("/cases/", {"country": "RU"})

    assert titles(response) == ["Activists in Moscow accused of extremism"]


def test_country_filter_accepts_lower_case_codes(client, cases):
    response = client.get("/cases/", {"country": "ru"})

    assert titles(response) == ["Activists in Moscow accused of extremism"]


def test_country_choices_are_the_countries_of_published_cases_with_counts(client, cases):
    response = client.get("/cases/")

    choices = list(response.context["filter"].form.fields["country"].choices)
    assert choices == [("KZ", "Kazakhstan (2)"), ("RU", "Russia (1)")]


def test_charge_filter(client, cases):
    response = client.get("/cases/", {"charge": "samoupravstvo"})

    assert titles(response) == [
        "Eviction of the Sailybaeva family",
        "Socialist Movement leaders face charges",
    ]


def test_charge_choices_count_only_published_cases(client, cases):
    response = client.get("/cases/")

    choices = dict(response.context["filter"].form.fields["charge"].choices)
    assert choices == {
        "samoupravstvo": "Arbitrariness (samoupravstvo), Kazakhstan (2)",
        "extremism": "Extremism, Russia (1)",
    }


def test_status_filter_uses_the_current_status_of_the_case(client, cases):
    response = client.get("/cases/", {"status": "suspect"})

    assert titles(response) == ["Socialist Movement leaders face charges"]


def test_organisation_filter(client, cases):
    response = client.get("/cases/", {"organisation": "lpha"})

    assert titles(response) == ["Socialist Movement leaders face charges"]


def test_year_filter_finds_cases_that_started_or_changed_that_year(client, cases):
    assert titles(client.get("/cases/", {"year": "2010"})) == ["Eviction of the Sailybaeva family"]
    assert titles(client.get("/cases/", {"year": "2012"})) == ["Eviction of the Sailybaeva family"]
    assert titles(client.get("/cases/", {"year": "2013"})) == [
        "Activists in Moscow accused of extremism"
    ]


def test_year_choices_count_each_case_once_a_year(client, cases):
    response = client.get("/cases/")

    choices = list(response.context["filter"].form.fields["year"].choices)
    assert choices == [
        ("2013", "2013 (1)"),
        ("2012", "2012 (1)"),
        ("2011", "2011 (1)"),
        ("2010", "2010 (1)"),
    ]


# Search


@pytest.mark.parametrize(
    "query",
    ["Kurmanov", "kurmanov", "Курманов", "курманов", "Kurmanow", "Nazarbayev", "Nazerbayev"],
)
def test_search_finds_people_by_any_spelling_of_their_name(client, cases, query):
    response = client.get("/cases/", {"q": query})

    assert titles(response) == ["Socialist Movement leaders face charges"]


def test_search_finds_titles_and_summaries(client, cases):
    assert titles(client.get("/cases/", {"q": "eviction"})) == ["Eviction of the Sailybaeva family"]
    assert titles(client.get("/cases/", {"q": "rally"})) == [
        "Activists in Moscow accused of extremism"
    ]


def test_search_needs_every_word_somewhere(client, cases):
    assert titles(client.get("/cases/", {"q": "Kurmanov regime"})) == [
        "Socialist Movement leaders face charges"
    ]
    assert titles(client.get("/cases/", {"q": "Kurmanov Moscow"})) == []


def test_search_lists_a_case_once_when_several_of_its_people_match(client, cases):
    response = client.get("/cases/", {"q": "nur"})  # Ainur and Nursultan

    assert titles(response) == ["Socialist Movement leaders face charges"]
    assert response.context["page"].paginator.count == 1


def test_search_treats_like_wildcards_as_text(client, cases):
    assert titles(client.get("/cases/", {"q": "%"})) == []
    assert titles(client.get("/cases/", {"q": "_"})) == []


def test_search_never_finds_drafts(client, cases):
    assert titles(client.get("/cases/", {"q": "Secret Person"})) == []
    assert titles(client.get("/cases/", {"q": "still being checked"})) == []


# Combinations


def test_several_values_of_one_filter_combine_with_or(client, cases):
    response = client.get("/cases/", {"country": ["KZ", "RU"], "status": ["suspect", "charged"]})

    assert titles(response) == [
        "Eviction of the Sailybaeva family",
        "Socialist Movement leaders face charges",
    ]


def test_several_charges_combine_with_or_and_list_each_case_once(client, cases):
    cases["kz"].charge_links.create(charge=cases["ru"].charges.get(), state="threatened")

    response = client.get("/cases/", {"charge": ["samoupravstvo", "extremism"]})

    assert sorted(titles(response)) == [
        "Activists in Moscow accused of extremism",
        "Eviction of the Sailybaeva family",
        "Socialist Movement leaders face charges",
    ]
    assert response.context["page"].paginator.count == 3


def test_different_filters_combine_with_and(client, cases):
    assert titles(client.get("/cases/", {"country": "KZ", "status": "charged"})) == [
        "Eviction of the Sailybaeva family"
    ]
    assert titles(client.get("/cases/", {"charge": "samoupravstvo", "organisation": "lpha"})) == [
        "Socialist Movement leaders face charges"
    ]
    assert titles(client.get("/cases/", {"country": "RU", "charge": "samoupravstvo"})) == []


def test_search_combines_with_filters(client, cases):
    assert titles(client.get("/cases/", {"q": "Sailybaeva", "country": "KZ", "year": "2012"})) == [
        "Eviction of the Sailybaeva family"
    ]
    assert titles(client.get("/cases/", {"q": "Sailybaeva", "country": "RU"})) == []


def test_the_filtered_list_shows_what_it_is_filtered_by_with_links_to_remove_each(client, cases):
    response = client.get("/cases/", {"country": ["KZ", "RU"], "charge": "samoupravstvo"})

    active = response.context["filter"].active_filters()
    assert [(a["filter"], a["value"], a["query"]) for a in active] == [
        ("Country", "Kazakhstan", "country=RU&charge=samoupravstvo"),
        ("Country", "Russia", "country=KZ&charge=samoupravstvo"),
        ("Charge", "Arbitrariness (samoupravstvo), Kazakhstan", "country=KZ&country=RU"),
    ]
    assert 'href="/cases/?country=KZ&amp;country=RU"' in html_of(response)


def test_the_page_title_names_the_filters_so_that_shared_links_say_what_they_show(client, cases):
    html = html_of(client.get("/cases/", {"country": "KZ", "status": "suspect", "q": "Kurmanov"}))

    assert "<title>Cases: “Kurmanov”, Kazakhstan, Suspect — Repression tracker</title>" in html
    assert '<meta property="og:title" content="Cases: “Kurmanov”, Kazakhstan, Suspect">' in html


def test_selected_values_are_checked_in_the_form(client, cases):
    html = html_of(client.get("/cases/", {"country": "kz", "charge": "samoupravstvo"}))

    assert 'name="country" value="KZ" id="id_country_0" checked' in html
    assert 'name="charge" value="samoupravstvo" id="id_charge_0" checked' in html


# Sorting


def test_sort_by_start_date_puts_the_latest_start_first_and_unknown_last(client, cases):
    response = client.get("/cases/", {"sort": "started"})

    assert titles(response) == [
        "Activists in Moscow accused of extremism",
        "Socialist Movement leaders face charges",
        "Eviction of the Sailybaeva family",
    ]


def test_sort_by_title(client, cases):
    response = client.get("/cases/", {"sort": "title"})

    assert titles(response) == sorted(titles(response))


def test_cases_without_a_timeline_come_last_by_last_edit(client, make_case):
    make_case("Older edit", slug="older")
    make_case("Newer edit", slug="newer")
    dated = make_case("Dated", slug="dated", people=[])
    dated.last_status_change_on = datetime.date(2000, 1, 1)
    dated.save()

    assert titles(client.get("/cases/")) == ["Dated", "Newer edit", "Older edit"]


# Empty state and pagination


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client, cases):
    response = client.get("/cases/", {"country": "RU", "status": "suspect"})

    assert response.status_code == 200
    html = html_of(response)
    assert "0 cases" in html
    assert "No published case matches these filters." in html
    assert '<a class="button-link" href="/cases/">Clear all filters</a>' in html


def test_a_valid_value_with_no_cases_today_gives_an_empty_list_not_an_error(client, cases):
    response = client.get("/cases/", {"status": "released", "country": "FR", "year": "1999"})

    assert response.status_code == 200
    assert titles(response) == []


def test_a_value_asked_for_is_offered_to_that_request_alone(client, cases):
    """A country with no published case is offered, ticked, to the list that
    asks for it, and not to the requests after it: each list's choices are
    its own, although the form's copies of them share one list."""
    asked = client.get("/cases/", {"country": "FR"})
    after = client.get("/cases/")

    assert ("FR", "France (0)") in asked.context["filter"].form.fields["country"].choices
    assert list(after.context["filter"].form.fields["country"].choices) == [
        ("KZ", "Kazakhstan (2)"),
        ("RU", "Russia (1)"),
    ]
    assert 'value="FR"' not in html_of(after)


def test_it_paginates_keeping_the_filters(client, make_case):
    for number in range(CASES_PER_PAGE + 5):
        make_case(f"Case {number:02d}", country="KZ")

    first = client.get("/cases/", {"country": "KZ", "sort": "title"})
    second = client.get("/cases/", {"country": "KZ", "sort": "title", "page": "2"})

    assert len(titles(first)) == CASES_PER_PAGE
    assert titles(second) == [f"Case {number:02d}" for number in range(20, 25)]
    assert 'href="?country=KZ&amp;sort=title&amp;page=2" rel="next"' in html_of(first)
    assert "Page 2 of 2" in html_of(second)
    assert "25 cases" in html_of(second)


# Bad parameters: a message (400) or a 404, never a 500


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"country": "XX"}, "“XX” is not a country code. Use two letters, such as KZ."),
        ({"country": "Kazakhstan"}, "“KAZAKHSTAN” is not a country code."),
        ({"status": "asleep"}, "“asleep” is not a status."),
        ({"charge": "no-such-charge"}, "No published case has the charge “no-such-charge”."),
        ({"organisation": "nobody"}, "No published case concerns the organisation “nobody”."),
        ({"year": "last year"}, "“last year” is not a year."),
        ({"year": "99999"}, "“99999” is not a year."),
        ({"sort": "random"}, "“random” is not a way to sort the cases."),
        ({"q": "x" * 10240}, "Ensure this value has at most 200 characters (it has 10240)."),
        ({"q": "null\x00byte"}, "Null characters are not allowed."),
        ({"charge": "null\x00byte"}, "No published case has the charge"),
    ],
)
def test_a_bad_filter_gives_a_readable_message(client, cases, parameters, message):
    response = client.get("/cases/", parameters)

    assert response.status_code == 400
    assert response.context["page"] is None
    html = html_of(response)
    assert message.replace("“", "&ldquo;") in html or message in html
    assert "These filters cannot be used" in html
    assert '<a class="button-link" href="/cases/">Clear all filters</a>' in html


def test_a_bad_value_is_quoted_briefly_in_the_message(client, cases):
    response = client.get("/cases/", {"charge": "x" * 10000})

    assert response.status_code == 400
    assert len(response.content) < 30000


def test_a_charge_known_only_from_drafts_is_not_offered(client, make_case, make_charge):
    make_charge("secret charge", slug="secret-charge")
    make_case(charges=[], published=True)
    make_case(published=False).charge_links.create(
        charge=make_charge(slug="draft-charge"), state="filed"
    )

    response = client.get("/cases/", {"charge": "draft-charge"})

    assert response.status_code == 400
    assert list(response.context["filter"].form.fields["charge"].choices) == []


@pytest.mark.parametrize("page", ["abc", "0", "-1", "2", "99999999999999999999", "1.5"])
def test_a_page_that_does_not_exist_is_a_404_with_a_message(client, cases, page):
    response = client.get("/cases/", {"page": page, "country": "KZ"})

    assert response.status_code == 404
    html = html_of(response)
    assert "There is no such page" in html
    assert 'href="?country=KZ">Go to the first page</a>' in html


def test_unknown_parameters_are_ignored(client, cases):
    response = client.get("/cases/", {"utm_source": "newsletter"})

    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_an_empty_parameter_is_no_filter(client, cases):
    response = client.get("/cases/?country=&status=&q=&sort=&page=")

    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_a_blank_search_is_no_filter(client, cases):
    response = client.get("/cases/", {"q": "   "})

    assert len(titles(response)) == 3
    assert "Filtered by:" not in html_of(response)


def test_it_does_not_accept_post(client, cases):
    assert client.post("/cases/", {"country": "KZ"}).status_code == 405


# Meta


def test_it_has_a_title_description_and_a_canonical_address_with_the_filters(client, cases):
    html = html_of(client.get("/cases/", {"country": "KZ"}))

    assert "<title>Cases: Kazakhstan — Repression tracker</title>" in html
    assert '<meta name="description" content="2 published cases' in html
    assert '<link rel="canonical" href="http://testserver/cases/?country=KZ">' in html


# Queries


@pytest.mark.parametrize("rows", [1, 50])
def test_it_makes_the_same_number_of_queries_whatever_the_number_of_cases(
    client, make_case, make_person, make_charge, make_organisation, rows,
    django_assert_num_queries,
):  # fmt: skip
    for number in range(rows):
        case = make_case(
            country=["KZ", "RU", "BY"][number % 3],
            people=[make_person(), make_person()],
            charges=[make_charge()],
            start_date=datetime.date(2000 + number % 20, 1, 1),
        )
        CaseOrganisation.objects.create(case=case, organisation=make_organisation(), role="other")
        record(
            case,
            "charged",
            datetime.date(2011, 1, 1) + datetime.timedelta(days=number),
            sources=[cited()],
        )

    # The version of the public data (1), and for a version not seen yet the
    # choices: countries, charges, statuses, organisations, years (5), and
    # the count (1); the page, what its cards show of their people and
    # charges (3), and for the cards not rendered yet their people and charges
    # (2, cases.cards). On PostgreSQL the search first asks whether its words
    # as typed find a case, before it tries near spellings (cases.search.matching).
    on_postgresql = connection.vendor == "postgresql"
    with django_assert_num_queries(12 + on_postgresql):
        response = client.get("/cases/", {"q": "Person", "country": ["KZ", "RU", "BY"]})
    # The choices and the count are cached until the next edit; the cards
    # while what they show is unchanged.
    with django_assert_num_queries(4 + on_postgresql):
        client.get("/cases/", {"q": "Person", "country": ["KZ", "RU", "BY"]})

    assert response.status_code == 200
    assert len(titles(response)) == min(rows, CASES_PER_PAGE)


def test_a_card_names_the_role_of_its_people_unless_they_are_accused_or_on_trial(
    client, make_case, make_person
):
    case = make_case("Sailybaeva case", people=[make_person("Kulzhan Sailybaeva")])
    CaseParticipant.objects.create(
        case=case, person=make_person("Nuosulu Sailybaeva"), role="witness"
    )
    CaseParticipant.objects.create(
        case=case, person=make_person("Ainur Kurmanov"), role="defendant"
    )

    html = html_of(client.get("/cases/"))

    assert (
        "<dd><bdi>Kulzhan Sailybaeva</bdi>, <bdi>Nuosulu Sailybaeva</bdi> (witness), "
        "<bdi>Ainur Kurmanov</bdi></dd>"
    ) in html
