"""Downloads of the case list, /cases/export.csv and /cases/export.json: the same
cases as the list, a CSV that spreadsheets open safely, streamed."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import exports
from cases.models import Case, CaseOrganisation, Charge, Organisation, Person
from cases.views import CASES_PER_PAGE

from .conftest import cited, record


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict[str, str]]:
    text = content_of(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def json_cases(response) -> list[dict]:
    return json.loads(content_of(response))["cases"]


def listed_slugs(client, query: dict) -> list[str]:
    """The slugs of the cases the list shows for QUERY, over all its pages."""
    slugs, page = [], 1
    while True:
        response = client.get("/cases/", {**query, "page": page})
        assert response.status_code == 200, response.content
        slugs += [case.slug for case in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return slugs
        page += 1


def api_slugs(client, query: dict) -> list[str]:
    slugs, address, params = [], "/api/v1/cases/", {**query, "page_size": 100}
    while address:
        response = client.get(address, params)
        assert response.status_code == 200, response.content
        slugs += [case["slug"] for case in response.json()["results"]]
        address, params = response.json()["next"], None
    return slugs


@pytest.fixture
def cases(db, make_case, make_person, make_charge):
    """The demo data, and more: a case in Russia, enough cases in Kazakhstan for
    two pages of the list, and a draft that matches the filters of the demo case."""
    call_command("load_demo")
    samoupravstvo = Charge.objects.get(slug="samoupravstvo")
    lpha = Organisation.objects.get(slug="leave-peoples-homes-alone")
    extremism = make_charge("extremism", slug="extremism", country="RU")
    moscow = make_case(
        "Activists in Moscow accused of extremism",
        slug="moscow",
        country="RU",
        people=[make_person("Мария Иванова", slug="maria")],
        charges=[extremism],
    )
    record(moscow, "charged", datetime.date(2013, 5, 6), sources=[cited()])
    for number in range(CASES_PER_PAGE + 2):
        case = make_case(
            f"Almaty activist {number}",
            slug=f"almaty-{number}",
            country="KZ",
            people=[make_person(f"Activist {number}")],
            charges=[samoupravstvo] if number % 2 else [],
        )
        if number % 3 == 0:
            CaseOrganisation.objects.create(case=case, organisation=lpha, role="targeted")
        record(
            case,
            "suspect" if number % 2 else "imprisoned",
            datetime.date(2012, 1, 1 + number),
            sources=[cited()],
        )
    draft = make_case(
        "SECRET draft in Kazakhstan",
        slug="secret-draft",
        country="KZ",
        people=[make_person("SECRET person", other_names="Kurmanov")],
        charges=[samoupravstvo],
        published=False,
    )
    CaseOrganisation.objects.create(case=draft, organisation=lpha, role="targeted")
    record(draft, "suspect", datetime.date(2011, 9, 20), sources=[cited()])


FILTERS = [
    {},
    {"country": "KZ", "charge": "samoupravstvo"},
    {"country": ["kz", "RU"]},
    {"status": "imprisoned"},
    {"status": ["suspect", "charged"], "sort": "title"},
    {"organisation": "leave-peoples-homes-alone"},
    {"q": "Kurmanov"},
    {"q": "Иванова"},
    {"year": "2013"},
    {"charge": "extremism", "country": "KZ"},
]


def test_the_exports_and_the_api_hold_exactly_the_cases_the_list_shows(client, cases):
    for query in FILTERS:
        listed = listed_slugs(client, query)
        csv_urls = [row["url"] for row in csv_rows(client.get("/cases/export.csv", query))]
        json_slugs = [case["slug"] for case in json_cases(client.get("/cases/export.json", query))]

        assert [url.split("/")[-2] for url in csv_urls] == listed, query
        assert json_slugs == listed, query
        assert api_slugs(client, query) == listed, query
        assert "secret-draft" not in listed

    assert len(listed_slugs(client, {"country": "KZ"})) > CASES_PER_PAGE  # two pages


def test_a_researcher_downloads_the_kazakh_samoupravstvo_cases(client, cases):
    response = client.get("/cases/export.csv", {"country": "KZ", "charge": "samoupravstvo"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="cases-kz-samoupravstvo-'
    )
    rows = csv_rows(response)
    assert list(rows[0]) == exports.CSV_COLUMNS
    demo = next(row for row in rows if "Sailybaeva family" in row["title"])
    # The summary and sources make a download importable again (docs/import.md).
    summary = demo.pop("summary")
    assert summary.startswith("In September 2011 the authorities of Kazakhstan moved against")
    assert summary.endswith("close down LPHA and Talmas.")
    assert demo.pop("sources") == "Kazakhstan: Dictatorial regime threatens socialist activists"
    assert demo == {
        "url": "http://testserver/cases/socialist-movement-kazakhstan-samoupravstvo/",
        "title": "Socialist Movement Kazakhstan leaders and the Sailybaeva family face "
        "“samoupravstvo” charges",
        "country": "KZ",
        "country_name": "Kazakhstan",
        "current_status": "suspect",
        "last_status_change": "2011-09-14",
        "people": "Ainur Kurmanov (accused); Esenbek Ukteshbayev (accused); "
        "Kulzhan Sailybaeva (accused); Nuosulu Sailybaeva (accused)",
        "charges": "arbitrariness, samoupravstvo (threatened)",
        "organisations": "Socialist Movement Kazakhstan (targeted); "
        "Leave People's Homes Alone (targeted); Talmas (targeted); "
        "Committee for a Workers' International (campaigning); "
        "Organization for Security and Co-operation in Europe (other); Vzglyad (other)",
        "officials": "Nursultan Nazarbayev (official)",
        "others": "",
    }


def test_the_csv_is_utf8_with_a_byte_order_mark_and_keeps_cyrillic_names(client, cases):
    content = content_of(client.get("/cases/export.csv", {"country": "RU"}))

    assert content.startswith(b"\xef\xbb\xbfurl,title,")
    assert "Мария Иванова (accused)" in content.decode("utf-8-sig")


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(1)", "+7 777", "-2+3", "@SUM(A1)", "\tTAB"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_escaped(
    client, make_case, make_person, dangerous
):
    make_case(dangerous, people=[make_person(dangerous)])

    [row] = csv_rows(client.get("/cases/export.csv"))

    assert row["title"] == f"'{dangerous}"
    assert row["people"] == f"'{dangerous} (accused)"
    assert row["url"].startswith("http://testserver/cases/")


def test_the_json_export_gives_each_case_as_the_api_lists_it(client, cases):
    response = client.get("/cases/export.json", {"country": "KZ", "charge": "samoupravstvo"})

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="cases-kz-samoupravstvo-'
    )
    data = json.loads(content_of(response))
    assert data["list_url"] == "http://testserver/cases/?country=KZ&charge=samoupravstvo"
    api = client.get(
        "/api/v1/cases/", {"country": "KZ", "charge": "samoupravstvo", "page_size": 100}
    ).json()
    assert data["cases"] == api["results"]


@pytest.mark.parametrize("address", ["/cases/export.csv", "/cases/export.json"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("country=XX", "“XX” is not a country code"),
        ("status=asleep", "“asleep” is not a status"),
        ("sort=random", "“random” is not a way to sort the cases"),
        ("q=" + "x" * 10_000, "at most 200 characters"),
        ("year=abc", "“abc” is not a year"),
    ],
)
def test_bad_filters_get_a_clear_400(client, db, address, query, message):
    response = client.get(f"{address}?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Content-Disposition" not in response


def test_the_page_of_the_list_does_not_matter(client, make_case):
    make_case(country="KZ")

    response = client.get("/cases/export.json", {"country": "KZ", "page": "abc"})

    assert response.status_code == 200
    assert len(json_cases(response)) == 1


def test_only_get_and_head_are_allowed(client, make_case):
    make_case()

    assert client.post("/cases/export.csv").status_code == 405
    head = client.head("/cases/export.csv")
    assert head.status_code == 200
    assert content_of(head) == b""


def test_the_list_links_to_the_downloads_with_its_filters_but_not_its_page(client, cases):
    response = client.get("/cases/", {"country": "KZ", "sort": "title", "page": "2", "utm": "x"})

    html = response.content.decode()
    assert response.context["page"].paginator.count == 25
    assert "Download these 25 cases:" in html
    assert 'href="/cases/export.csv?country=KZ&amp;sort=title"' in html
    assert 'href="/cases/export.json?country=KZ&amp;sort=title"' in html


def test_the_list_without_filters_links_to_the_whole_export(client, cases):
    html = client.get("/cases/").content.decode()

    assert 'href="/cases/export.csv"' in html


def test_filtered_exports_are_streamed_in_chunks_with_the_same_queries_for_each_chunk(
    client, make_case, make_person, make_charge, make_organisation, monkeypatch,
    django_assert_num_queries,
):  # fmt: skip
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 10)

    def add_cases(number):
        for _ in range(number):
            case = make_case(people=[make_person(), make_person()], charges=[make_charge()])
            CaseOrganisation.objects.create(
                case=case, organisation=make_organisation(), role="targeted"
            )
        # The filter's choices, counted once for these cases.
        client.get("/cases/export.csv", {"country": "KZ"})

    add_cases(1)
    with CaptureQueriesContext(connection) as one_case:
        response = client.get("/cases/export.csv", {"country": "KZ"})
        assert len(csv_rows(response)) == 1
    assert response.streaming
    queries = len(one_case)

    add_cases(9)  # 10 cases: still one chunk, and as many queries
    with django_assert_num_queries(queries):
        assert len(csv_rows(client.get("/cases/export.csv", {"country": "KZ"}))) == 10

    # 25 cases: two more chunks, each reading its people, charges, organisations,
    # and for the CSV its summaries and the sources its cases and their timelines cite
    add_cases(15)
    with django_assert_num_queries(queries + 2 * 6):
        assert len(csv_rows(client.get("/cases/export.csv", {"country": "KZ"}))) == 25


# A filtered download is streamed a chunk at a time: an edit committed between
# two chunks is in all of its rows or in none.


def streamed_with(client, monkeypatch, address, edit) -> bytes:
    """The filtered download at ADDRESS (the cases in Kazakhstan), read a case
    at a time, with EDIT() done once the first case has been read."""
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 1)
    response = client.get(address, {"country": "KZ"})
    assert response.status_code == 200
    assert response.streaming
    pieces = iter(response.streaming_content)
    read = [next(pieces), next(pieces)]  # the header (the JSON's opening), the first case
    edit()
    read.extend(pieces)
    return b"".join(read)


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="one snapshot for the whole stream is PostgreSQL's (REPEATABLE READ)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("address", ["/cases/export.csv", "/cases/export.json"])
def test_a_filtered_download_is_read_from_one_snapshot_whatever_others_save_meanwhile(
    client, make_case, make_person, make_charge, monkeypatch, address
):
    from .test_record_integrity import _in_a_thread

    charge = make_charge("arbitrariness")
    for number in range(4):
        make_case(
            f"Almaty activist {number}",
            people=[make_person(f"Activist {number}")],
            charges=[charge],
        )
    before = content_of(client.get(address, {"country": "KZ"}))
    assert before.count(b"arbitrariness") == 4

    def edit():
        def others_save():
            Charge.objects.filter(pk=charge.pk).update(name_en="arbitrariness, renamed")
            Person.objects.update(name="Renamed")
            Case.objects.filter(title="Almaty activist 3").delete()

        thread, outcome = _in_a_thread(others_save)
        thread.join(30)
        assert "error" not in outcome, outcome.get("error")

    streamed = streamed_with(client, monkeypatch, address, edit)

    assert streamed == before
    assert b"renamed" in content_of(client.get(address, {"country": "KZ"}))
