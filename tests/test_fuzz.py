"""Whatever a visitor puts in a query string or a path, with whatever method, no address
answers with a server error; whatever an editor types, pages show it as text, never as markup.

The number of requests the fuzz made and of server errors is printed at the end of the run."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import (
    CallToActionTarget,
    CaseCharge,
    CaseOrganisation,
    Charge,
    Organisation,
    Person,
    Source,
)
from cases.services import record_status_change

PUBLIC_PATHS = [
    "/",
    "/cases/",
    "/cases/socialist-movement-kazakhstan-samoupravstvo/",
    "/people/ainur-kurmanov/",
    "/organisations/leave-peoples-homes-alone/",
    "/charges/samoupravstvo/",
    "/people/",
    "/people/export.csv",
    "/people/export.json",
    "/healthz",
]
PARAMETERS = [
    *("q", "country", "charge", "status", "organisation", "year", "page", "sort"),
    *("held", "place", "category", "detained", "released"),  # /people/
]

hostile_text = st.one_of(
    st.text(max_size=50),
    st.sampled_from(
        [
            "",
            "KZ",
            "samoupravstvo",
            "2011",
            "-1",
            "0",
            "99999999999999999999",
            "abc",
            "\x00",
            "%",
            "_",
            "'; DROP TABLE cases_case; --",
            "<script>alert(1)</script>",
            "Курманов",
            "x" * 10_000,
            "\ud7ff\ue000",
        ]
    ),
)
query_strings = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=10)), hostile_text),
    max_size=6,
)


@pytest.fixture
def demo(db):
    # Loaded once per test, not per example: the examples only read.
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=query_strings)
def test_no_query_string_makes_a_public_page_fail(demo, path, params):
    response = Client().get(path, params)
    assert response.status_code < 500, (path, params)
    assert response.status_code in (200, 400, 404), (path, params, response.status_code)


SCRIPT = "<script>alert('x')</script>"
HANDLER = '" onmouseover="alert(1)'
HOSTILE = f"{SCRIPT}{HANDLER}<img src=x onerror=alert(2)>"


@pytest.fixture
def hostile_case(make_case, db):
    """A published case in which every field an editor can type holds hostile text."""
    person = Person.objects.create(
        name=f"Person {HOSTILE}",
        slug="hostile-person",
        name_original=HOSTILE,
        other_names=HOSTILE,
        occupation=HOSTILE,
        bio=HOSTILE,
    )
    organisation = Organisation.objects.create(
        name=f"Organisation {HOSTILE}",
        slug="hostile-organisation",
        acronym="<b>X</b>",
        description=HOSTILE,
        website="https://example.org/?q=%22%3E%3Cscript%3E",
    )
    charge = Charge.objects.create(
        name=f"Charge {HOSTILE}",
        slug="hostile-charge",
        country="KZ",
        code=HOSTILE,
        article="1",
        name_original=HOSTILE,
        description=HOSTILE,
        maximum_penalty=HOSTILE,
    )
    source = Source.objects.create(
        title=f"Source {HOSTILE}",
        url="https://news.example.org/a?b=<script>",
        publisher=HOSTILE,
        author=HOSTILE,
    )
    case = make_case(
        f"Case {HOSTILE}",
        slug="hostile-case",
        people=[person],
        summary=HOSTILE,
        region=HOSTILE,
        call_to_action=HOSTILE,
    )
    CaseCharge.objects.create(case=case, charge=charge, state="filed", note=HOSTILE)
    CaseOrganisation.objects.create(
        case=case, organisation=organisation, role="targeted", note=HOSTILE
    )
    CallToActionTarget.objects.create(
        case=case,
        addressee=HOSTILE,
        email="a@example.org",
        copy_to="b@example.org",
        postal_address=HOSTILE,
    )
    record_status_change(
        case,
        participants=case.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 30),
        headline=f"Headline {HOSTILE}",
        description=HOSTILE,
        sources=[source],
    )
    return case


class Markup(HTMLParser):
    """The elements and attributes a browser would build from a page."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def assert_shown_as_text(html: str):
    """The hostile text is there for the reader, and none of it became markup."""
    assert "&lt;script&gt;alert(" in html
    for tag, attributes in Markup(html).elements:
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, (tag, attributes)
        if tag == "script":
            assert attributes.get("src"), "an inline script"
        if tag == "img":
            assert attributes.get("src") != "x", attributes
        for name in ("href", "src", "action"):
            assert not attributes.get(name, "").strip().lower().startswith("javascript:")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cases/",
        "/cases/?q=Case",
        "/cases/hostile-case/",
        "/people/hostile-person/",
        "/organisations/hostile-organisation/",
        "/charges/hostile-charge/",
    ],
)
def test_hostile_text_on_public_pages_is_escaped(client, hostile_case, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_shown_as_text(response.text)


def test_hostile_text_in_the_admin_is_escaped(client, hostile_case):
    client.force_login(User.objects.create_superuser("root", password="x"))
    for url in [
        reverse("admin:cases_case_changelist"),
        reverse("admin:cases_case_change", args=[hostile_case.pk]),
        reverse("admin:cases_case_preview", args=[hostile_case.pk]),
        reverse("admin:cases_case_record_status_change", args=[hostile_case.pk]),
        reverse("admin:cases_case_history", args=[hostile_case.pk]),
        reverse("admin:cases_person_changelist"),
        reverse("admin:cases_statuschange_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.text)


# Every method on every address -------------------------------------------------

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW"]
# The demo's slug for the kind of page named before {slug} (/cases/{slug}/).
DEMO_SLUGS = {
    "cases": "socialist-movement-kazakhstan-samoupravstvo",
    "people": "ainur-kurmanov",
    "organisations": "leave-peoples-homes-alone",
    "charges": "samoupravstvo",
    "places": "a-place-the-demo-does-not-name",  # the source names none: a 404
}
# The demo's values of the other parameters of the URL patterns.
DEMO_VALUES = {
    "code": "KZ",
    "section": "cases",
    "app_label": "cases",
    "url": "cases/case/1/change/",
    "rest": "cases/a.b/",
}
HOSTILE_SEGMENTS = [
    "0",
    "a.b",
    "x" * 300,
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%D0%9A%D1%83%D1%80%D0%BC%D0%B0%D0%BD%D0%BE%D0%B2",  # Курманов
    "%E0%A4%A",  # not UTF-8
]
# (content type, body) of the writing methods, none of which the site accepts.
BODIES = {
    "POST": [
        ("application/x-www-form-urlencoded", "q=%3Cscript%3E&title=x&csrfmiddlewaretoken=0"),
        ("multipart/form-data; boundary=broken", "--broken\r\n\r\n"),
        ("text/plain", "\x00" * 64),
    ],
    "PUT": [("application/json", '{"title": "<script>", "slug": ["x"], "x": {"$gt": ""}}')],
    "PATCH": [("application/json", "{not json")],
}
PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def url_patterns(patterns=None, prefix=""):
    """(template, parameter names) of every pattern the URL resolver knows, as
    "/cases/{slug}/": Django's path() routes and regular expressions alike."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).replace("^", "").replace("$", "")
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
            continue
        if route.endswith(r"[\s\S]*\Z"):  # the API's catch-all
            route = route.removesuffix(r"[\s\S]*\Z") + "<rest>"
        names = [match["name"] or match["group"] for match in PARAMETER.finditer(route)]
        template = "/" + PARAMETER.sub(
            lambda match: "{%s}" % (match["name"] or match["group"]), route
        )  # noqa: UP031
        yield template, names


def demo_value(template, name):
    if name == "slug":
        return DEMO_SLUGS[template.split("/{slug}")[0].rsplit("/", 1)[-1]]
    return DEMO_VALUES.get(name, "1")


def addresses(template, names, *, hostile):
    """TEMPLATE's address with the demo's values, then (if HOSTILE) with each
    hostile value in each parameter in turn: (address, whether it is the demo's)."""
    demo = {name: demo_value(template, name) for name in names}
    yield template.format(**demo), "rest" not in names  # the catch-all is meant to 404
    if hostile:
        for segment in HOSTILE_SEGMENTS:
            for name in names:
                yield template.format(**{**demo, name: segment}), False


def refuses_to_write(method, response):
    """A public page answers OPTIONS or refuses it, and refuses every other
    method but GET and HEAD: nothing on the public site is written to."""
    if method in {"GET", "HEAD"}:
        return True
    if method == "OPTIONS":
        return response.status_code in (200, 204, 405)
    if method == "POST" and response.wsgi_request.path == reverse("set_language"):
        return True  # a visitor's choice of language, kept in their own cookie
    return response.status_code == 405


def test_every_method_on_every_address_answers_without_a_server_error(demo, fuzz_tally):
    """Every pattern the URL resolver knows, filled with the demo's values and
    then with hostile ones, asked with every method (and one made up), the
    writing ones with hostile bodies, by an anonymous visitor. The admin's
    addresses get the demo's values only: for a visitor they all lead to the
    login page. A public page refuses every method that would write to it."""
    client = Client(raise_request_exception=False)
    failures = []
    for template, names in url_patterns():
        public = not template.startswith("/admin/")
        for address, is_demo in addresses(template, names, hostile=public):
            for method in METHODS:
                for content_type, body in BODIES.get(method, [("text/plain", "")]):
                    response = client.generic(method, address, body, content_type=content_type)
                    fuzz_tally["requests"] += 1
                    if response.status_code >= 500:
                        fuzz_tally["server errors"] += 1
                        failures.append((method, address, content_type, response.status_code))
                    elif public and is_demo and not refuses_to_write(method, response):
                        failures.append((method, address, response.status_code))
    assert not failures, "\n".join(map(str, failures))
