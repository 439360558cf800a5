"""The organisation page, /organisations/<slug>/: what it is and its published cases."""

import pytest

from cases.models import CaseOrganisation, Membership
from cases.views import CASES_ON_OTHER_PAGES

from .conftest import html_of


@pytest.fixture
def lpha(make_organisation):
    return make_organisation(
        "Leave People's Homes Alone",
        slug="lpha",
        acronym="LPHA",
        kind="campaign",
        country="KZ",
        website="https://lpha.example.org/",
        description="Defends people whom banks try to evict.",
    )


def link(case, organisation, role="targeted"):
    return CaseOrganisation.objects.create(case=case, organisation=organisation, role=role)


def test_it_shows_the_organisation_and_its_published_cases(client, lpha, make_case):
    link(make_case("Eviction case"), lpha)
    link(make_case("Draft case", published=False), lpha)

    response = client.get("/organisations/lpha/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "Leave People&#x27;s Homes Alone" in html
    assert "(<bdi>LPHA</bdi>)" in html
    assert "Campaign" in html
    assert "Kazakhstan" in html
    assert 'href="https://lpha.example.org/"' in html
    assert "Defends people whom banks try to evict." in html
    assert [case.title for case, _ in response.context["cases"]] == ["Eviction case"]
    assert "Draft case" not in html
    assert "Role of the organisation: targeted." in html


def test_it_links_the_parent_and_sections_only_when_public(
    client, lpha, make_case, make_organisation, make_person
):
    cwi = make_organisation("Committee for a Workers' International", slug="cwi")
    lpha.parent = cwi
    lpha.save()
    section = make_organisation("LPHA Almaty", slug="lpha-almaty", parent=lpha)
    link(make_case(), lpha)
    link(make_case(), section)
    member = make_person("Ainur Kurmanov", slug="ainur")
    make_case(people=[member])
    Membership.objects.create(person=member, organisation=lpha, role="leader")
    Membership.objects.create(person=make_person("Draft member"), organisation=lpha)

    html = html_of(client.get("/organisations/lpha/"))

    assert "Committee for a Workers" not in html  # not in any published case
    assert 'href="/organisations/lpha-almaty/"' in html
    assert '<a href="/people/ainur/"><bdi>Ainur Kurmanov</bdi></a>, <bdi>leader</bdi>' in html
    assert "Draft member" not in html

    link(make_case(), cwi)
    assert 'href="/organisations/cwi/"' in html_of(client.get("/organisations/lpha/"))


def test_it_links_to_the_list_when_there_are_more_cases_than_it_shows(client, lpha, make_case):
    for _ in range(CASES_ON_OTHER_PAGES + 1):
        link(make_case(), lpha)

    response = client.get("/organisations/lpha/")

    assert len(response.context["cases"]) == CASES_ON_OTHER_PAGES
    assert 'href="/cases/?organisation=lpha">See all 21 cases in the case list</a>' in html_of(
        response
    )


def test_an_organisation_only_in_drafts_is_a_404(client, lpha, make_case):
    link(make_case(published=False), lpha)

    assert client.get("/organisations/lpha/").status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_it_makes_the_same_number_of_queries_whatever_the_number_of_cases(
    client, lpha, make_case, make_person, make_charge, make_organisation, rows,
    django_assert_num_queries,
):  # fmt: skip
    for _ in range(rows):
        person = make_person()
        link(make_case(people=[person, make_person()], charges=[make_charge()]), lpha)
        Membership.objects.create(person=person, organisation=lpha)
        link(make_case(), make_organisation(parent=lpha))

    # The organisation; the cases, their people, charges and links to it;
    # its sections; its members.
    with django_assert_num_queries(7):
        response = client.get("/organisations/lpha/")

    assert response.status_code == 200
    assert len(response.context["cases"]) == min(rows, CASES_ON_OTHER_PAGES)
