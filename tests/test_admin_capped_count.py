"""The admin's lists count their rows only as far as a page needs (issue 18,
cases.admin_paginator): past the cap they say "more than", page on, and an
action on all the rows found acts on every one of them. A small cap here."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.admin import CaseAdmin, EditorAdmin, PersonAdmin
from cases.models import Case

from .conftest import record

pytestmark = pytest.mark.django_db

CASES = reverse("admin:cases_case_changelist")
FOUND = 8  # cases that the search finds, more than the cap of 5 and its look-ahead


@pytest.fixture
def small_cap(monkeypatch):
    """A cap of 5 and one case a page: the count stops at 6 rows on the first
    pages ((page + 3 linked after it) x 1 is less than 5 up to page 2)."""
    for admin_class in (CaseAdmin, PersonAdmin):
        monkeypatch.setattr(admin_class, "list_per_page", 1)
        monkeypatch.setattr(admin_class, "list_max_show_all", 1)
    monkeypatch.setattr(EditorAdmin, "count_cap", 5)


@pytest.fixture
def kurmanovs(make_case, make_person):
    """FOUND draft cases ready to publish that a search for "Kurmanov" finds,
    latest first in the list's order, and one case it does not find."""
    found = []
    for day in range(1, FOUND + 1):
        case = make_case(
            f"Kurmanov {day}",
            summary="Charged in September 2011.",
            people=[make_person(f"Ainur Kurmanov {day}")],
            published=False,
        )
        record(case, "charged", datetime.date(2011, 9, day), "Charged")
        found.append(case)
    other = make_case(
        "Unrelated",
        summary="Charged in September 2011.",
        people=[make_person("Esenbek Ukteshbayev")],
        published=False,
    )
    return found[::-1], other


def texts(response, css_class):
    """The text of each element of CSS_CLASS in RESPONSE, spaces collapsed."""
    html = response.content.decode()
    found = re.findall(rf'<(\w+) class="[^"]*\b{css_class}\b[^"]*">(.*?)</\1>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", inner).split()) for _tag, inner in found]


def test_a_search_that_finds_more_than_the_cap_says_more_than_and_pages_through_all_of_them(
    client, editor, small_cap, kurmanovs
):
    found, _other = kurmanovs

    response = client.get(CASES, {"q": "kurmanov"})

    assert response.status_code == 200
    assert texts(response, "paginator") == ["1 2 3 4 … more than 5 cases"]
    assert texts(response, "capped-count") == ["more than 5 results", "more than 5 cases"]
    # No page is marked as the last: its number is not known.
    assert 'class="end"' not in response.content.decode()
    assert "Show all" not in texts(response, "paginator")[0]
    # Page after page, every case found, each once, in the list's order.
    listed = []
    for page in range(1, FOUND + 1):
        response = client.get(CASES, {"q": "kurmanov", "p": page})
        assert response.status_code == 200
        listed += [case.pk for case in response.context["cl"].result_list]
    assert listed == [case.pk for case in found]
    # Near the end the count reaches it: the last page is known again.
    assert texts(response, "paginator") == ["1 2 3 4 5 6 7 8 8 cases"]
    # Past the end, as Django does: back to the list with ?e=1.
    response = client.get(CASES, {"q": "kurmanov", "p": FOUND + 1})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_count_stops_after_the_cap_without_the_searchs_fence(
    client, editor, small_cap, kurmanovs
):
    with CaptureQueriesContext(connection) as queries:
        client.get(CASES, {"q": "kurmanov"})
    counts = [query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1
    assert re.search(r"\bLIMIT 6\b", counts[0])
    # The fence that keeps the page's subquery whole (OFFSET 0) would have
    # PostgreSQL find every case before counting the first 6.
    assert "OFFSET 0" not in counts[0]


def test_a_list_within_the_cap_is_counted_and_paginated_as_before(
    client, editor, small_cap, kurmanovs
):
    response = client.get(CASES, {"q": "Kurmanov 1"})  # 1 and nothing else
    assert texts(response, "paginator") == ["1 case"]
    assert response.context["cl"].result_count == 1

    response = client.get(CASES, {"q": "kurmanov", "p": 7})  # counts as far as page 10: all
    assert response.context["cl"].result_count == FOUND
    assert texts(response, "paginator") == ["1 2 3 4 5 6 7 8 8 cases"]
    assert "capped-count" not in response.content.decode()


def test_filters_and_search_are_counted_together(client, editor, small_cap, kurmanovs):
    found, other = kurmanovs
    Case.objects.filter(pk__in=[case.pk for case in found[:2]]).update(country="RU")

    response = client.get(CASES, {"q": "kurmanov", "country": "RU"})
    assert response.context["cl"].result_count == 2
    assert texts(response, "paginator") == ["1 2 2 cases"]

    response = client.get(CASES, {"q": "kurmanov", "country": "KZ"})
    assert texts(response, "paginator")[0].endswith("more than 5 cases")


def test_publishing_all_the_cases_found_publishes_every_one_past_the_cap(
    client, publisher, small_cap, kurmanovs
):
    found, other = kurmanovs
    response = client.get(CASES, {"q": "kurmanov"})
    assert texts(response, "question") == ["Select all cases found (more than 5)"]
    assert texts(response, "all") == ["All cases found selected (more than 5)"]

    # "Select all" across the pages: the box ticked on the page, and select_across.
    response = client.post(
        f"{CASES}?q=kurmanov",
        {
            "action": "publish_selected",
            "select_across": "1",
            "index": "0",
            "_selected_action": [found[0].pk],
        },
        follow=True,
    )

    assert response.status_code == 200
    assert f"{FOUND} cases published." in [str(message) for message in response.context["messages"]]
    client.logout()
    for case in found:
        assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_the_people_list_is_capped_too(client, editor, small_cap, make_person):
    for n in range(8):
        make_person(f"Ainur Kurmanov {n}")

    response = client.get(reverse("admin:cases_person_changelist"), {"q": "Kurmanov"})

    assert texts(response, "paginator") == ["1 2 3 4 … more than 5 people"]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:cases_person_changelist"))
    counts = [query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT(")]
    # One count, stopped at 6; none of the whole table for "(N total)".
    assert len(counts) == 1
    assert re.search(r"\bLIMIT 6\b", counts[0])


def test_the_cap_and_its_pages_at_the_real_size(client, editor, kurmanovs):
    """With the real cap (10,000) and 100 cases a page, a handful of cases
    is simply counted."""
    response = client.get(CASES, {"q": "kurmanov"})
    assert response.context["cl"].result_count == FOUND
    assert texts(response, "paginator") == [f"{FOUND} cases"]
