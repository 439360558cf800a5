"""The charge page, /charges/<slug>/: the legal provision and its published cases."""

import pytest

from cases.views import CASES_ON_OTHER_PAGES

from .conftest import html_of


def test_it_shows_the_charge_and_its_published_cases_with_its_state_in_each(
    client, samoupravstvo, make_case
):
    make_case("Eviction case", charges=[samoupravstvo])
    make_case("Draft case", charges=[samoupravstvo], published=False)

    response = client.get("/charges/samoupravstvo/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "Arbitrariness" in html
    assert "Criminal Code, art. 327" in html
    assert "самоуправство" in html
    assert "samoupravstvo" in html
    assert "up to two years&#x27; imprisonment" in html
    assert "Taking the law into one&#x27;s own hands." in html
    assert [case.title for case, _ in response.context["cases"]] == ["Eviction case"]
    assert "The charge in this case: filed." in html
    assert "Draft case" not in html
    assert "<title>Arbitrariness — Repression tracker</title>" in html


def test_it_links_to_the_list_when_there_are_more_cases_than_it_shows(
    client, samoupravstvo, make_case
):
    for _ in range(CASES_ON_OTHER_PAGES + 1):
        make_case(charges=[samoupravstvo])

    response = client.get("/charges/samoupravstvo/")

    assert len(response.context["cases"]) == CASES_ON_OTHER_PAGES
    assert 'href="/cases/?charge=samoupravstvo">See all 21 cases' in html_of(response)


def test_a_charge_only_in_drafts_is_a_404(client, samoupravstvo, make_case):
    make_case(charges=[samoupravstvo], published=False)

    assert client.get("/charges/samoupravstvo/").status_code == 404


def test_a_charge_in_no_case_is_a_404(client, samoupravstvo):
    assert client.get("/charges/samoupravstvo/").status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_it_makes_the_same_number_of_queries_whatever_the_number_of_cases(
    client, samoupravstvo, make_case, make_person, make_charge, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_case(people=[make_person(), make_person()], charges=[samoupravstvo, make_charge()])

    # The charge with its count; the cases, their people and their charges.
    with django_assert_num_queries(4):
        response = client.get("/charges/samoupravstvo/")

    assert response.status_code == 200
    assert len(response.context["cases"]) == min(rows, CASES_ON_OTHER_PAGES)
