"""The editors' case list, and the preview of a case that is not public."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Charge

from .conftest import record

pytestmark = pytest.mark.django_db


def make_cases(make_case, make_person, make_charge, number):
    charge = make_charge("arbitrariness", slug="samoupravstvo")
    for n in range(number):
        case = make_case(
            f"Case {n}", people=[make_person(), make_person()], charges=[charge], published=n % 2
        )
        record(case, "charged", datetime.date(2011, 9, 30), "Charged")


@pytest.mark.parametrize("number", [1, 50])
@pytest.mark.parametrize("query", [{}, {"q": "Person"}, {"charge": "samoupravstvo"}])
def test_the_case_list_makes_the_same_queries_for_1_and_50_cases(
    client, editor, make_case, make_person, make_charge, django_assert_num_queries, number, query
):
    make_cases(make_case, make_person, make_charge, number)
    if "charge" in query:
        query = {"charge": Charge.objects.get(slug="samoupravstvo").pk}
    # The session, the user, permissions, the charges to filter by, the
    # count and one page of cases with their people counted: the same
    # whatever the number of cases, searched or filtered. On PostgreSQL a
    # search first asks whether its words as typed find a case, before it
    # tries near spellings (cases.search.matching).
    searched_on_postgresql = "q" in query and connection.vendor == "postgresql"
    with django_assert_num_queries(7 + searched_on_postgresql):
        response = client.get(reverse("admin:cases_case_changelist"), query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == number


def test_the_search_of_the_case_list_is_the_full_text_search_and_lists_each_case_once(
    client, editor, make_case, make_person
):
    kurmanovs = [make_person("Ainur Kurmanov"), make_person("Marat Kurmanov")]
    draft = make_case("Samoupravstvo", people=kurmanovs, published=False)
    make_case("Unrelated", people=[make_person("Esenbek Ukteshbayev")])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:cases_case_changelist"), {"q": "kurman AINUR"})

    assert [case.pk for case in response.context["cl"].result_list] == [draft.pk]
    assert response.context["cl"].result_count == 1
    listed = [query["sql"] for query in queries if 'FROM "cases_case"' in query["sql"]]
    assert listed
    # PostgreSQL reads the document's stored tsvector (migration 0024), SQLite the document.
    searched = "search_vector" if connection.vendor == "postgresql" else "search_document"
    for sql in listed:
        assert searched in sql
        assert "DISTINCT" not in sql
        assert "cases_person" not in sql  # no join through the people


def test_a_search_that_finds_more_cases_than_a_page_lists_them_page_by_page_in_the_lists_order(
    client, editor, make_case, make_person, monkeypatch
):
    from cases.admin import CaseAdmin

    monkeypatch.setattr(CaseAdmin, "list_per_page", 2)
    found = []
    for day in [3, 1, 2]:
        case = make_case(f"Kurmanov {day}", people=[make_person(f"Ainur Kurmanov {day}")])
        record(case, "charged", datetime.date(2011, 9, day), "Charged")
        found.append(case)
    make_case("Unrelated", people=[make_person("Esenbek Ukteshbayev")])
    latest_first = [found[0].pk, found[2].pk, found[1].pk]

    pages = [
        client.get(reverse("admin:cases_case_changelist"), {"q": "Kurmanov", "p": number})
        for number in [1, 2]
    ]

    assert [case.pk for case in pages[0].context["cl"].result_list] == latest_first[:2]
    assert [case.pk for case in pages[1].context["cl"].result_list] == latest_first[2:]
    assert pages[1].context["cl"].result_count == 3


def test_the_case_list_shows_status_last_change_people_and_publication(
    client, editor, make_case, make_person, make_charge
):
    make_cases(make_case, make_person, make_charge, 1)
    response = client.get(reverse("admin:cases_case_changelist"))
    row = response.context["cl"].result_list[0]
    assert row.people_count == 2
    text = response.text
    for expected in ["charged", "30 September 2011", "draft"]:
        assert expected in text


def test_the_case_list_filters_by_charge_and_publication_state(
    client, editor, make_case, make_person, make_charge
):
    make_cases(make_case, make_person, make_charge, 4)
    make_case("Other charge", charges=[make_charge("hooliganism")])
    url = reverse("admin:cases_case_changelist")
    samoupravstvo = Charge.objects.get(slug="samoupravstvo")
    response = client.get(url, {"charge": samoupravstvo.pk})
    assert response.context["cl"].result_count == 4
    response = client.get(url, {"publication_state__exact": "published"})
    assert response.context["cl"].result_count == 3


def test_search_finds_a_case_by_another_spelling_of_a_name(client, editor, make_case, make_person):
    make_case(
        "Samoupravstvo",
        people=[make_person("Nursultan Nazarbayev", other_names="Nazerbayev\nНазарбаев")],
    )
    make_case("Unrelated")
    url = reverse("admin:cases_case_changelist")
    for query in ["Nazerbayev", "Назарбаев", "Nazarbayev"]:
        assert client.get(url, {"q": query}).context["cl"].result_count == 1, query


def test_a_draft_is_previewed_by_staff_with_a_banner_and_never_cached(
    client, editor, make_case, make_person
):
    draft = make_case("Not yet public", people=[make_person()], published=False)

    response = client.get(reverse("admin:cases_case_preview", args=[draft.pk]))

    assert response.status_code == 200
    assert "Preview: this case is draft." in response.text
    assert "Not yet public" in response.text
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert 'name="robots" content="noindex' in response.text


def test_visitors_cannot_preview_and_the_public_address_of_a_draft_is_not_found(client, make_case):
    draft = make_case("Not yet public", published=False)
    preview = client.get(reverse("admin:cases_case_preview", args=[draft.pk]))
    assert preview.status_code == 302
    assert preview["Location"].startswith(reverse("admin:login"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_view_on_site_links_to_the_public_page_or_the_preview(client, editor, make_case):
    published = make_case("Public")
    draft = make_case("Draft", published=False)
    page = client.get(reverse("admin:cases_case_change", args=[published.pk])).text
    assert f'href="{published.get_absolute_url()}"' in page
    page = client.get(reverse("admin:cases_case_change", args=[draft.pk])).text
    assert reverse("admin:cases_case_preview", args=[draft.pk]) in page
