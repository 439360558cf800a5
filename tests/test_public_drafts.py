"""Only published cases, and what belongs to them, appear anywhere public."""

import datetime
import re
from urllib.parse import unquote, urlsplit

import pytest

from cases.models import CallToActionTarget, CaseOrganisation, CaseSource, PublicationState
from cases.services import record_status_change
from cases.sitemaps import SITEMAPS


@pytest.fixture
def site(make_case, make_person, make_charge, make_organisation, make_source):
    """A published case, and a draft and a withdrawn case that share some of its
    people, charge and organisation and have secrets of their own."""
    shared_person = make_person("Ainur Kurmanov", slug="ainur")
    shared_charge = make_charge("arbitrariness", slug="samoupravstvo")
    shared_organisation = make_organisation("LPHA", slug="lpha")
    published = make_case(
        "Published case", slug="published", people=[shared_person], charges=[shared_charge]
    )
    CaseOrganisation.objects.create(
        case=published, organisation=shared_organisation, role="targeted"
    )
    record_status_change(
        published,
        participants=published.participants.all(),
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Became suspects",
        sources=[make_source("Public article")],
    )
    for state in (PublicationState.DRAFT, PublicationState.WITHDRAWN):
        hidden = make_case(
            f"SECRET {state} case",
            slug=f"secret-{state}",
            country="BY",
            summary="SECRET summary",
            call_to_action="SECRET call",
            people=[shared_person, make_person(f"SECRET {state} person", other_names="SECRET")],
            charges=[shared_charge, make_charge(f"SECRET {state} charge", country="BY")],
            published=False,
            publication_state=state,
        )
        CaseOrganisation.objects.create(
            case=hidden, organisation=shared_organisation, role="campaigning"
        )
        CaseOrganisation.objects.create(
            case=hidden, organisation=make_organisation(f"SECRET {state} group"), role="targeted"
        )
        CaseSource.objects.create(case=hidden, source=make_source(f"SECRET {state} source"))
        CallToActionTarget.objects.create(case=hidden, addressee="SECRET addressee")
        record_status_change(
            hidden,
            participants=hidden.participants.all(),
            status="released",
            date=datetime.date(2020, 1, 1),
            headline=f"SECRET {state} headline",
            sources=[make_source(f"SECRET {state} entry source")],
        )
    return published


def text_of(response) -> str:
    """The body of a response, streamed (the downloads) or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def crawl(client, start_pages):
    """Every public page reachable from START_PAGES by links, with its response."""
    seen, queue, pages = set(), list(start_pages), {}
    while queue and len(seen) < 300:
        address = queue.pop(0)
        if address in seen:
            continue
        seen.add(address)
        response = client.get(address)
        pages[address] = response
        if response.status_code != 200:
            continue
        response.body_text = text_of(response)
        for href in re.findall(r'href="([^"#]*)"', response.body_text):
            href = href.replace("&amp;", "&")
            if href.startswith("?"):
                href = urlsplit(address).path + href
            if href.startswith("/") and not href.startswith(("/static/", "/admin/")):
                queue.append(href)
    return pages


def test_no_public_page_shows_anything_of_a_draft_or_withdrawn_case(client, site):
    pages = crawl(
        client,
        ["/", "/cases/", "/cases/?q=SECRET", "/cases/?status=released", "/cases/?year=2020"],
    )

    assert "/cases/published/" in pages
    assert "/people/ainur/" in pages
    assert "/charges/samoupravstvo/" in pages
    assert "/organisations/lpha/" in pages
    # A search for the word is echoed back in the page; nothing else may show it.
    echoes = (
        "q=SECRET",
        'value="SECRET"',
        "Search: <bdi>SECRET</bdi>",
        "Search: SECRET",
        "“SECRET”",
        "“<bdi>SECRET</bdi>”",  # the empty result's "Nothing was found for ..."
    )
    for address, response in pages.items():
        assert response.status_code == 200, address
        html = unquote(response.body_text)
        for echo in echoes:
            html = html.replace(echo, "")
        assert "SECRET" not in html, address
        assert "Belarus" not in html, address


@pytest.mark.parametrize(
    "address",
    [
        "/cases/secret-draft/",
        "/cases/secret-withdrawn/",
    ],
)
def test_the_address_of_a_case_that_is_not_published_is_a_404(client, site, address):
    assert client.get(address).status_code == 404


def test_people_charges_and_organisations_only_in_hidden_cases_are_404s(client, site):
    from cases.models import Charge, Organisation, Person

    hidden = [
        *(p.get_absolute_url() for p in Person.objects.filter(name__startswith="SECRET")),
        *(c.get_absolute_url() for c in Charge.objects.filter(name__startswith="SECRET")),
        *(o.get_absolute_url() for o in Organisation.objects.filter(name__startswith="SECRET")),
    ]

    assert len(hidden) == 6
    for address in hidden:
        assert client.get(address).status_code == 404, address
    # What is published is there.
    assert "Published case" in text_of(client.get("/cases/export.csv"))
    assert "Became suspects" in text_of(client.get("/feed/"))
    assert "/cases/published/" in text_of(client.get("/sitemap-cases.xml"))


def test_hidden_cases_do_not_count_anywhere(client, site):
    home = client.get("/")
    listing = client.get("/cases/")

    assert home.context["case_count"] == 1
    assert [(c.code, n) for c, n in home.context["countries"]] == [("KZ", 1)]
    assert [(s.value, n) for s, n in home.context["statuses"]] == [("suspect", 1)]
    form = listing.context["filter"].form
    assert list(form.fields["charge"].choices) == [
        ("samoupravstvo", "Arbitrariness, Kazakhstan (1)")
    ]
    assert list(form.fields["organisation"].choices) == [("lpha", "LPHA (1)")]
    assert list(form.fields["year"].choices) == [("2011", "2011 (1)")]
    assert client.get("/charges/samoupravstvo/").context["charge"].case_count == 1


# Filters of the downloads and the API that a hidden case would match.
OPEN_DATA_QUERIES = [
    "",
    "?q=SECRET",
    "?status=released",
    "?year=2020",
    "?country=BY",
    "?charge=samoupravstvo",
]


def test_no_export_feed_api_response_or_sitemap_shows_anything_of_a_draft_or_withdrawn_case(
    client, site
):
    from cases.models import Charge, Organisation, Person

    addresses = [
        *(
            f"/cases/export.{kind}{query}"
            for kind in ("csv", "json")
            for query in OPEN_DATA_QUERIES
        ),
        *(f"/api/v1/cases/{query}" for query in OPEN_DATA_QUERIES),
        "/api/v1/cases/published/",
        "/api/v1/people/",
        "/api/v1/people/ainur/",
        "/api/v1/organisations/",
        "/api/v1/organisations/lpha/",
        "/api/v1/charges/",
        "/api/v1/charges/samoupravstvo/",
        "/feed/",
        "/cases/published/feed/",
        "/countries/KZ/feed/",
        "/countries/BY/feed/",
        "/charges/samoupravstvo/feed/",
        "/sitemap.xml",
        *(f"/sitemap-{section}.xml" for section in SITEMAPS),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        text = unquote(text_of(response)).replace("q=SECRET", "")
        assert "SECRET" not in text, address
        assert "secret-" not in text, address
        if "BY" not in address:  # the feed of Belarus, empty, is named after it
            assert "Belarus" not in text, address

    hidden = [
        "/api/v1/cases/secret-draft/",
        "/api/v1/cases/secret-withdrawn/",
        "/cases/secret-draft/feed/",
        "/cases/secret-withdrawn/feed/",
        *(f"/api/v1/people/{p.slug}/" for p in Person.objects.filter(name__startswith="SECRET")),
        *(
            f"/api/v1/organisations/{o.slug}/"
            for o in Organisation.objects.filter(name__startswith="SECRET")
        ),
        *(f"/api/v1/charges/{c.slug}/" for c in Charge.objects.filter(name__startswith="SECRET")),
        *(f"/charges/{c.slug}/feed/" for c in Charge.objects.filter(name__startswith="SECRET")),
    ]
    assert len(hidden) == 12
    for address in hidden:
        assert client.get(address).status_code == 404, address
    # What is published is there.
    assert "Published case" in text_of(client.get("/cases/export.csv"))
    assert "Became suspects" in text_of(client.get("/feed/"))
    assert "/cases/published/" in text_of(client.get("/sitemap-cases.xml"))
