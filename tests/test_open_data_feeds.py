"""Atom feeds of published status changes: all, one case's, one country's, one charge's."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseSource, PublicationState, StatusChange
from cases.services import record_status_change

from .conftest import cited

ATOM = "{http://www.w3.org/2005/Atom}"
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def atom(response) -> ET.Element:
    """The feed in RESPONSE, checked against what RFC 4287 requires of a feed and
    its entries: id, title and updated (a date-time) on each, an author for
    each entry (the feed's), and a link for each entry, which has no content."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, (element.tag, name)
            assert element.findtext(f"{ATOM}{name}").strip(), (element.tag, name)
        assert RFC_3339.match(element.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}content") is None
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    return feed


def entries(feed) -> list[dict]:
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def demo(db):
    call_command("load_demo")


@pytest.fixture
def hidden(demo, make_case, make_person, make_charge, make_source):
    """A draft and a withdrawn case in Kazakhstan with the demo's charge, and a
    draft in Belarus, each with a timeline."""
    from cases.models import Charge

    samoupravstvo = Charge.objects.get(slug="samoupravstvo")
    for state, country in [
        (PublicationState.DRAFT, "KZ"),
        (PublicationState.WITHDRAWN, "KZ"),
        (PublicationState.DRAFT, "BY"),
    ]:
        case = make_case(
            f"SECRET {state} {country}",
            slug=f"secret-{state}-{country.lower()}",
            country=country,
            people=[make_person(f"SECRET {state} person")],
            charges=[samoupravstvo, make_charge(f"SECRET {state} charge", slug=f"sc-{state}")]
            if country == "KZ"
            else [],
            published=False,
            publication_state=state,
        )
        CaseSource.objects.create(case=case, source=make_source(f"SECRET {state} source"))
        record_status_change(
            case,
            participants=case.participants.all(),
            status="released",
            date=datetime.date(2020, 1, 1),
            headline=f"SECRET {state} entry",
            sources=[make_source(f"SECRET {state} entry source")],
        )


def test_the_feed_of_all_status_changes_validates_and_holds_the_published_ones(client, hidden):
    feed = atom(client.get("/feed/"))

    published = StatusChange.objects.published()
    assert len(entries(feed)) == published.count() == 3
    assert feed.findtext(f"{ATOM}title") == "Latest status changes"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/"
    latest = entries(feed)[0]
    assert latest["title"] == (
        "Socialist Movement Kazakhstan leaders and the Sailybaeva family face "
        "“samoupravstvo” charges: Status changed from witnesses to suspects"
    )
    assert "SECRET" not in client.get("/feed/").content.decode()


def test_an_entry_links_to_itself_on_the_case_page(client, demo):
    change = StatusChange.objects.get(headline="Status changed from witnesses to suspects")

    [entry] = [e for e in entries(atom(client.get("/feed/"))) if e["title"].endswith("suspects")]

    assert entry["link"] == (
        "http://testserver/cases/socialist-movement-kazakhstan-samoupravstvo/"
        f"#status-change-{change.public_id}"
    )
    page = client.get("/cases/socialist-movement-kazakhstan-samoupravstvo/").content.decode()
    assert f'id="status-change-{change.public_id}"' in page


def test_an_entry_says_the_date_status_people_and_sources(client, demo):
    [entry] = [e for e in entries(atom(client.get("/feed/"))) if e["title"].endswith("suspects")]

    assert "<p>14 September 2011: Suspect</p>" in entry["summary"]
    assert "Concerns: Ainur Kurmanov, Esenbek Ukteshbayev" in entry["summary"]
    assert "Kazakhstan: Dictatorial regime threatens socialist activists" in entry["summary"]


def test_entry_ids_stay_the_same_when_the_case_and_entry_are_edited(client, demo):
    before = entries(atom(client.get("/feed/")))
    case = Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo")
    case.slug = "renamed"
    case.save()
    StatusChange.objects.filter(case=case).update(headline="Now suspects")

    after = entries(atom(client.get("/feed/")))

    assert [e["id"] for e in after] == [e["id"] for e in before]
    assert all(e["id"].startswith("tag:testserver,") for e in after)
    assert any(e["link"].startswith("http://testserver/cases/renamed/#") for e in after)


def test_text_in_an_entry_is_escaped(client, make_case, make_person):
    case = make_case("<b>Case</b>", slug="hostile", people=[make_person("<i>Name</i>")])
    record_status_change(
        case,
        participants=case.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 1),
        headline="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
        sources=[cited()],
    )

    [entry] = entries(atom(client.get("/feed/")))

    # The title is text: shown as written. The summary is HTML: the text is escaped in it.
    assert entry["title"] == "<b>Case</b>: <script>alert(1)</script>"
    assert "<img" not in entry["summary"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in entry["summary"]
    assert "&lt;i&gt;Name&lt;/i&gt;" in entry["summary"]


def test_a_case_feed_holds_its_timeline(client, hidden):
    feed = atom(client.get("/cases/socialist-movement-kazakhstan-samoupravstvo/feed/"))

    assert [e["title"] for e in entries(feed)] == ["Status changed from witnesses to suspects"]
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "http://testserver/cases/socialist-movement-kazakhstan-samoupravstvo/"
    )


def test_the_feed_of_a_case_that_is_not_published_is_a_404(client, hidden):
    assert client.get("/cases/secret-draft-kz/feed/").status_code == 404
    assert client.get("/cases/secret-withdrawn-kz/feed/").status_code == 404
    assert client.get("/cases/no-such-case/feed/").status_code == 404


def test_a_country_feed_holds_the_published_status_changes_in_that_country(client, hidden):
    feed = atom(client.get("/countries/kz/feed/"))

    assert feed.findtext(f"{ATOM}title") == "Status changes in Kazakhstan"
    assert len(entries(feed)) == 3
    assert "SECRET" not in client.get("/countries/KZ/feed/").content.decode()
    belarus = client.get("/countries/BY/feed/")
    assert entries(atom(belarus)) == []
    assert "SECRET" not in belarus.content.decode()


@pytest.mark.parametrize("code", ["XX", "KAZ", "k", "%00"])
def test_the_feed_of_a_country_code_that_does_not_exist_is_a_404(client, db, code):
    assert client.get(f"/countries/{code}/feed/").status_code == 404


def test_a_charge_feed_holds_the_published_status_changes_of_its_cases(client, hidden):
    feed = atom(client.get("/charges/samoupravstvo/feed/"))

    assert [e["title"] for e in entries(feed)] == [
        "Socialist Movement Kazakhstan leaders and the Sailybaeva family face "
        "“samoupravstvo” charges: Status changed from witnesses to suspects"
    ]
    assert client.get("/charges/sc-draft/feed/").status_code == 404
    assert client.get("/charges/sc-withdrawn/feed/").status_code == 404


def test_a_feed_makes_as_many_queries_for_50_entries_as_for_1(
    client, make_case, make_person, make_source, django_assert_num_queries
):
    case = make_case(slug="busy", people=[make_person(), make_person()])

    def add_entry(day):
        record_status_change(
            case,
            participants=case.participants.all(),
            status="charged",
            date=datetime.date(2011, 1, day),
            headline=f"Entry {day}",
            sources=[make_source()],
        )

    add_entry(1)
    for address in ["/feed/", "/cases/busy/feed/", "/countries/KZ/feed/"]:
        client.get(address)
    counts = {}
    for address in ["/feed/", "/cases/busy/feed/", "/countries/KZ/feed/"]:
        with CaptureQueriesContext(connection) as queries:
            client.get(address)
        counts[address] = len(queries)
    for day in range(2, 29):
        add_entry(day)

    for address, count in counts.items():
        with django_assert_num_queries(count):
            assert len(entries(atom(client.get(address)))) == 28


# Links from the pages


def alternate_links(response) -> list[str]:
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)" title="[^"]+">',
        response.content.decode(),
    )


def test_the_pages_link_to_their_feeds(client, demo):
    assert alternate_links(client.get("/")) == ["/feed/"]
    assert alternate_links(client.get("/cases/socialist-movement-kazakhstan-samoupravstvo/")) == [
        "/cases/socialist-movement-kazakhstan-samoupravstvo/feed/"
    ]
    assert alternate_links(client.get("/charges/samoupravstvo/")) == [
        "/charges/samoupravstvo/feed/"
    ]
    assert alternate_links(client.get("/cases/?country=kz&charge=samoupravstvo")) == [
        "/countries/KZ/feed/"
    ]


def test_the_list_links_to_a_country_feed_only_when_it_shows_one_country(client, demo):
    assert alternate_links(client.get("/cases/")) == []
    assert alternate_links(client.get("/cases/?country=KZ&country=RU")) == []
    assert alternate_links(client.get("/cases/?country=XX")) == []


def test_the_pages_have_a_visible_link_to_follow_the_feed(client, demo):
    case_page = client.get("/cases/socialist-movement-kazakhstan-samoupravstvo/")

    assert "Follow this case (Atom feed)" in case_page.content.decode()
    assert "Follow the status changes (Atom feed)" in client.get("/").content.decode()
    assert "Follow the status changes in Kazakhstan (Atom feed)" in (
        client.get("/cases/?country=KZ").content.decode()
    )
