"""The read-only JSON API at /api/v1/, its OpenAPI schema and its documentation."""

import datetime
import re

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cases.api.filters import PARAMETER_SCHEMAS
from cases.filters import CaseFilter
from cases.models import CaseOrganisation, CaseSource, PublicationState

from .conftest import cited, record

# Examples the fuzzer tries for each operation (and mode): bounded, so that the
# whole test takes well under a minute.
FUZZ_EXAMPLES = 25


@pytest.fixture
def demo(db):
    call_command("load_demo")


@pytest.fixture
def hidden(make_case, make_person, make_charge, make_organisation, make_source):
    """A draft and a withdrawn case in Kazakhstan, with the demo's charge."""
    from cases.models import Charge

    samoupravstvo = Charge.objects.get(slug="samoupravstvo")
    for state in (PublicationState.DRAFT, PublicationState.WITHDRAWN):
        case = make_case(
            f"SECRET {state}",
            slug=f"secret-{state}",
            country="KZ",
            people=[make_person(f"SECRET {state} person", slug=f"secret-{state}-person")],
            charges=[samoupravstvo, make_charge(f"SECRET {state} charge")],
            published=False,
            publication_state=state,
        )
        CaseOrganisation.objects.create(
            case=case, organisation=make_organisation(f"SECRET {state} group"), role="targeted"
        )
        CaseSource.objects.create(case=case, source=make_source(f"SECRET {state} source"))
        record(
            case,
            "released",
            datetime.date(2020, 1, 1),
            headline=f"SECRET {state} entry",
            sources=[cited()],
        )


# Cases


def test_it_lists_the_cases_the_list_shows_for_the_same_filters(client, demo, hidden):
    for query in [
        {},
        {"country": "KZ", "charge": "samoupravstvo"},
        {"status": "imprisoned", "sort": "title"},
        {"q": "Kurmanov"},
        {"organisation": "leave-peoples-homes-alone"},
    ]:
        listed = [case.slug for case in client.get("/cases/", query).context["page"].object_list]
        response = client.get("/api/v1/cases/", query)

        assert response.status_code == 200
        assert [case["slug"] for case in response.json()["results"]] == listed, query
        assert response.json()["count"] == len(listed)


def test_the_researchers_query_finds_the_demo_case(client, demo, hidden):
    response = client.get("/api/v1/cases/?country=kz&charge=samoupravstvo")

    [case] = response.json()["results"]
    assert case["slug"] == "socialist-movement-kazakhstan-samoupravstvo"
    assert case["url"] == "http://testserver/cases/socialist-movement-kazakhstan-samoupravstvo/"
    assert case["api_url"] == (
        "http://testserver/api/v1/cases/socialist-movement-kazakhstan-samoupravstvo/"
    )
    assert case["country"] == "KZ"
    assert case["current_status"] == "suspect"
    assert case["last_status_change"] == "2011-09-14"
    assert {
        "slug": "ainur-kurmanov",
        "name": "Ainur Kurmanov",
        "role": "accused",
        "current_status": "suspect",
        "kind": "persecuted",
    } in case["people"]
    assert case["charges"] == [
        {
            "slug": "samoupravstvo",
            "name": "arbitrariness",
            "name_transliterated": "samoupravstvo",
            "state": "threatened",
        }
    ]
    assert {"slug": "talmas", "name": "Talmas", "acronym": "", "role": "targeted"} in case[
        "organisations"
    ]


def test_a_case_comes_with_its_people_charges_timeline_and_sources(client, demo):
    response = client.get("/api/v1/cases/socialist-movement-kazakhstan-samoupravstvo/")

    assert response.status_code == 200
    case = response.json()
    assert case["summary"].startswith("In September 2011")
    kurmanov = next(p for p in case["people"] if p["slug"] == "ainur-kurmanov")
    assert kurmanov["name_original"] == "Айнур Курманов"
    assert kurmanov["current_status"] == "suspect"
    assert kurmanov["api_url"] == "http://testserver/api/v1/people/ainur-kurmanov/"
    assert case["charges"][0]["name_original"] == "самоуправство"
    [entry] = case["timeline"]
    assert entry["date"] == "2011-09-14"
    assert entry["status"] == "suspect"
    assert entry["people"] == ["ainur-kurmanov", "esenbek-ukteshbayev"]
    assert entry["url"] == (
        "http://testserver/cases/socialist-movement-kazakhstan-samoupravstvo/"
        f"#status-change-{entry['id']}"
    )
    assert entry["sources"][0]["published_on"] == "2011-09"
    assert case["sources"][0]["title"].startswith("Kazakhstan: Dictatorial regime")


def test_the_entry_a_timeline_links_to_is_on_the_case_page(client, demo):
    entry = client.get("/api/v1/cases/socialist-movement-kazakhstan-samoupravstvo/").json()[
        "timeline"
    ][0]

    html = client.get("/cases/socialist-movement-kazakhstan-samoupravstvo/").content.decode()
    assert f'id="status-change-{entry["id"]}"' in html


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("country=XX", "country", "“XX” is not a country code"),
        ("status=asleep", "status", "“asleep” is not a status"),
        ("charge=nothing", "charge", "No published case has the charge “nothing”"),
        ("q=" + "x" * 10_000, "q", "at most 200 characters"),
        ("q=%00", "q", "Null characters are not allowed"),
        ("year=1800", "year", "“1800” is not a year"),
        ("sort=random", "sort", "“random” is not a way to sort the cases"),
    ],
)
def test_bad_filters_get_a_clear_400(client, db, query, parameter, message):
    response = client.get(f"/api/v1/cases/?{query}")

    assert response.status_code == 400
    assert message in response.json()[parameter][0]


@pytest.mark.parametrize("query", ["page=abc", "page=99", "page=0"])
def test_a_page_that_does_not_exist_is_a_404(client, demo, query):
    response = client.get(f"/api/v1/cases/?{query}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_pages_hold_page_size_cases_up_to_100(client, make_case):
    for _ in range(3):
        make_case()

    first = client.get("/api/v1/cases/?page_size=2").json()
    assert len(first["results"]) == 2
    assert first["next"] == "http://testserver/api/v1/cases/?page=2&page_size=2"
    assert client.get("/api/v1/cases/?page_size=1000").json()["count"] == 3
    assert len(client.get("/api/v1/cases/?page_size=abc").json()["results"]) == 3


def test_drafts_and_withdrawn_cases_are_nowhere_in_the_api(client, demo, hidden):
    for address in ["/api/v1/cases/secret-draft/", "/api/v1/cases/secret-withdrawn/"]:
        assert client.get(address).status_code == 404
    for resource in ["people", "organisations", "charges"]:
        for state in ("draft", "withdrawn"):
            assert client.get(f"/api/v1/{resource}/secret-{state}-person/").status_code == 404
    responses = [
        client.get("/api/v1/cases/", {"page_size": 100}),
        client.get("/api/v1/cases/", {"q": "SECRET"}),
        client.get("/api/v1/cases/", {"status": "released"}),
        client.get("/api/v1/cases/", {"year": "2020"}),
        client.get("/api/v1/people/", {"page_size": 100}),
        client.get("/api/v1/organisations/", {"page_size": 100}),
        client.get("/api/v1/charges/", {"page_size": 100}),
        client.get("/api/v1/people/ainur-kurmanov/"),
        client.get("/api/v1/charges/samoupravstvo/"),
    ]
    for response in responses:
        assert response.status_code == 200
        assert "SECRET" not in response.content.decode()
        assert "secret-" not in response.content.decode()


@pytest.mark.parametrize("address", ["/api/v1/cases/", "/api/v1/cases/x/", "/api/v1/people/"])
def test_it_is_read_only(client, demo, address):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(address, {}, content_type="application/json")
        assert response.status_code == 405, (method, address)
    assert client.options(address).status_code in (200, 404)
    assert client.head("/api/v1/cases/").status_code == 200


def test_addresses_with_dots_or_odd_characters_are_404s_not_errors(client, demo):
    for address in [
        "/api/v1/cases/a.b/",
        "/api/v1/cases/%00/",
        "/api/v1/people/%E2%80%AE/",
        "/api/v1/cases/a/b/",
        "/api/v1/nothing",
    ]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert response.json() == {"detail": "Not found."}


# People, organisations, charges


def test_a_person_lists_only_their_published_cases(client, demo, hidden, make_case):
    from cases.models import CaseParticipant, Person

    kurmanov = Person.objects.get(slug="ainur-kurmanov")
    draft = make_case("SECRET other", slug="secret-other", published=False)
    CaseParticipant.objects.create(case=draft, person=kurmanov, role="accused")

    person = client.get("/api/v1/people/ainur-kurmanov/").json()

    assert person["name_original"] == "Айнур Курманов"
    assert [case["slug"] for case in person["cases"]] == [
        "socialist-movement-kazakhstan-samoupravstvo"
    ]
    assert person["cases"][0]["current_status"] == "suspect"


def test_organisations_and_charges_list_their_published_cases(client, demo, hidden):
    lpha = client.get("/api/v1/organisations/leave-peoples-homes-alone/").json()
    charge = client.get("/api/v1/charges/samoupravstvo/").json()

    assert lpha["acronym"] == "LPHA"
    assert [case["slug"] for case in lpha["cases"]] == [
        "socialist-movement-kazakhstan-samoupravstvo"
    ]
    assert charge["name_original"] == "самоуправство"
    assert [(case["slug"], case["state"]) for case in charge["cases"]] == [
        ("socialist-movement-kazakhstan-samoupravstvo", "threatened")
    ]


def test_an_organisation_names_its_parent_only_if_the_parent_is_public(
    client, make_case, make_organisation
):
    hidden_parent = make_organisation("Hidden international", slug="hidden")
    section = make_organisation("Section", slug="section", parent=hidden_parent)
    case = make_case()
    CaseOrganisation.objects.create(case=case, organisation=section, role="targeted")

    assert client.get("/api/v1/organisations/section/").json()["parent"] is None

    CaseOrganisation.objects.create(case=case, organisation=hidden_parent, role="other")
    assert client.get("/api/v1/organisations/section/").json()["parent"] == "hidden"


# Queries


def _queries(client, address) -> int:
    client.get(address)  # the list's choices are counted once, then kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def _add_case(make_case, make_person, make_charge, make_organisation, make_source, number):
    case = make_case(
        people=[make_person(), make_person()],
        charges=[make_charge()],
        country=["KZ", "RU"][number % 2],
    )
    CaseOrganisation.objects.create(case=case, organisation=make_organisation(), role="other")
    CaseSource.objects.create(case=case, source=make_source())
    record(case, "charged", datetime.date(2011, 1, 1), sources=[make_source()])
    return case


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/cases/?country=KZ&country=RU&page_size=100",
        "/api/v1/people/?page_size=100",
        "/api/v1/organisations/?page_size=100",
        "/api/v1/charges/?page_size=100",
    ],
)
def test_a_list_makes_as_many_queries_for_50_rows_as_for_1(
    client, make_case, make_person, make_charge, make_organisation, make_source, address,
    django_assert_num_queries,
):  # fmt: skip
    factories = (make_case, make_person, make_charge, make_organisation, make_source)
    _add_case(*factories, 0)
    one_row = _queries(client, address)

    for number in range(1, 50):
        _add_case(*factories, number)
    client.get(address)

    with django_assert_num_queries(one_row):
        response = client.get(address)
    assert response.json()["count"] >= 50


def test_a_case_makes_as_many_queries_with_50_people_and_entries_as_with_1(
    client, make_case, make_person, make_charge, make_organisation, make_source,
    django_assert_num_queries,
):  # fmt: skip
    case = make_case(slug="big", people=[make_person()], charges=[make_charge()])
    CaseOrganisation.objects.create(case=case, organisation=make_organisation(), role="other")
    CaseSource.objects.create(case=case, source=make_source())
    record(case, "charged", datetime.date(2011, 1, 1), sources=[make_source()])
    one_row = _queries(client, "/api/v1/cases/big/")

    from cases.models import CaseCharge, CaseParticipant

    for number in range(49):
        CaseParticipant.objects.create(case=case, person=make_person(), role="accused")
        CaseCharge.objects.create(case=case, charge=make_charge(), state="filed")
        CaseOrganisation.objects.create(case=case, organisation=make_organisation(), role="other")
        CaseSource.objects.create(case=case, source=make_source())
        record(case, "charged", datetime.date(2011, 1, 2 + number % 28), sources=[make_source()])

    with django_assert_num_queries(one_row):
        response = client.get("/api/v1/cases/big/")
    assert len(response.json()["people"]) == 50
    assert len(response.json()["timeline"]) == 50


# Schema and documentation


def test_the_schema_is_valid_and_generated_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )

    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/cases/{slug}/:" in schema
    assert "/api/v1/people/:" in schema


def test_every_filter_of_the_list_is_described_in_the_schema():
    assert set(PARAMETER_SCHEMAS) == set(CaseFilter.base_filters)


def test_the_schema_is_served_as_json_and_yaml(client, db):
    as_json = client.get("/api/v1/schema/", {"format": "json"})
    as_yaml = client.get("/api/v1/schema/")

    assert as_json.status_code == 200
    assert as_json.json()["info"]["title"] == "Repression tracker API"
    assert "/api/v1/cases/" in as_json.json()["paths"]
    assert as_yaml.status_code == 200
    assert as_yaml.content.startswith(b"openapi: 3.")


def inline_scripts(html: str) -> list[str]:
    """The <script> elements that run code written in the page itself."""
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    return [
        body
        for attributes, body in scripts
        if "src=" not in attributes and 'type="application/json"' not in attributes
    ]


def test_options_on_the_docs_lists_the_allowed_methods(client, db):
    """It was a 500 for anyone (TemplateDoesNotExist), found by the fuzz."""
    response = client.options("/api/v1/docs/")

    assert response.status_code == 200
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_the_docs_work_under_the_content_security_policy(client, db):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert inline_scripts(html) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert sources
    for source in sources:
        # Our own addresses only: no CDN.
        assert source.startswith("/"), source
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in sources
    script = client.get(next(s for s in sources if not s.startswith("/static/")))
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]


def test_the_browsable_api_works_under_the_content_security_policy(client, demo):
    response = client.get("/api/v1/cases/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Socialist Movement Kazakhstan leaders" in html
    assert inline_scripts(html) == []
    for source in re.findall(r'<script[^>]* src="([^"]+)"', html):
        assert source.startswith("/static/"), source


def test_the_api_answers_json_by_default(client, demo):
    response = client.get("/api/v1/cases/", HTTP_ACCEPT="*/*")

    assert response["Content-Type"] == "application/json"


# A schema-based fuzzer: requests made from the schema, good and bad, get an
# answer that the schema describes, and never a server error.


@pytest.fixture
def wsgi_application(settings):
    """The site as a WSGI application, as a server runs it, in the test's transaction."""
    settings.ALLOWED_HOSTS = ["localhost"]  # the host that Schemathesis' WSGI client names
    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(request, demo, hidden, wsgi_application):
    # Schemathesis 4.32 reads the test's node id from node._nodeid, which pytest 9
    # no longer has: give it the node id to read (it only names subtests with it).
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_application)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

fuzzed = schemathesis.pytest.from_fixture("api_schema")


@fuzzed.parametrize()
@hypothesis.settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    database=None,
)
def test_requests_made_from_the_schema_get_answers_the_schema_describes(case):
    case.call_and_validate(checks=CHECKS)


def test_every_resource_of_the_demo_is_answered_as_the_schema_describes(api_schema):
    requests = [
        ("/api/v1/cases/", {}, {}),
        ("/api/v1/cases/", {}, {"country": ["KZ"], "charge": ["samoupravstvo"]}),
        ("/api/v1/cases/", {}, {"country": ["XX"]}),
        ("/api/v1/cases/", {}, {"page": 9}),
        ("/api/v1/cases/{slug}/", {"slug": "socialist-movement-kazakhstan-samoupravstvo"}, {}),
        ("/api/v1/cases/{slug}/", {"slug": "secret-draft"}, {}),
        ("/api/v1/people/", {}, {}),
        ("/api/v1/people/{slug}/", {"slug": "ainur-kurmanov"}, {}),
        ("/api/v1/organisations/", {}, {}),
        ("/api/v1/organisations/{slug}/", {"slug": "leave-peoples-homes-alone"}, {}),
        ("/api/v1/charges/", {}, {}),
        ("/api/v1/charges/{slug}/", {"slug": "samoupravstvo"}, {}),
    ]
    for path, path_parameters, query in requests:
        operation = api_schema[path]["GET"]
        case = operation.Case(path_parameters=path_parameters, query=query)
        case.call_and_validate(checks=CHECKS)
