"""The person page, /people/<slug>/: who they are and their published cases."""

import datetime

import pytest

from cases.models import DatePrecision, Membership, Relationship
from cases.services import record_status_change

from .conftest import cited, html_of


@pytest.fixture
def kulzhan(make_person):
    return make_person(
        "Kulzhan Sailybaeva",
        slug="kulzhan-sailybaeva",
        name_original="Кулжан Сайлыбаева",
        other_names="Kulzhan Sailybayeva\nKulzhan Sailibaeva",
        occupation="housing activist",
        bio="A mother of several children.",
        country="KZ",
        birth_date=datetime.date(1970, 1, 1),
        birth_date_precision=DatePrecision.YEAR,
    )


def test_it_shows_the_person(client, kulzhan, make_case):
    make_case("Eviction case", people=[kulzhan])

    response = client.get("/people/kulzhan-sailybaeva/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "Kulzhan Sailybaeva" in html
    assert "Кулжан Сайлыбаева" in html
    assert "Kulzhan Sailybayeva, Kulzhan Sailibaeva" in html
    assert "Housing activist" in html
    assert "A mother of several children." in html
    assert '<time datetime="1970">1970</time>' in html
    assert "image not available" in html
    assert "<title>Kulzhan Sailybaeva — Repression tracker</title>" in html
    assert '<meta property="og:type" content="profile">' in html


def test_it_lists_only_published_cases_with_the_role_and_status_in_each(client, kulzhan, make_case):
    published = make_case("Eviction case", people=[kulzhan])
    make_case("Draft case about her", people=[kulzhan], published=False)
    record_status_change(
        published,
        participants=published.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 1),
        date_precision=DatePrecision.MONTH,
        headline="Charged",
        sources=[cited()],
    )

    response = client.get("/people/kulzhan-sailybaeva/")

    assert [case.title for case, _ in response.context["cases"]] == ["Eviction case"]
    html = html_of(response)
    assert "Draft case about her" not in html
    assert "Role in the case: accused. Current status: charged." in html


def test_it_shows_family_and_organisations_only_when_they_are_public(
    client, kulzhan, make_case, make_person, make_organisation
):
    nuosulu = make_person("Nuosulu Sailybaeva", slug="nuosulu")
    stranger = make_person("Someone only in a draft")
    make_case("Eviction case", people=[kulzhan, nuosulu])
    make_case("Draft", people=[stranger], published=False)
    Relationship.objects.create(person=kulzhan, kind="mother", relative=nuosulu)
    Relationship.objects.create(person=stranger, kind="sibling", relative=kulzhan)
    lpha = make_organisation("LPHA campaign", slug="lpha")
    hidden = make_organisation("Hidden group")
    make_case("LPHA case", people=[]).organisation_links.create(organisation=lpha, role="targeted")
    Membership.objects.create(person=kulzhan, organisation=lpha, role="member")
    Membership.objects.create(person=kulzhan, organisation=hidden, role="member")

    mother = html_of(client.get("/people/kulzhan-sailybaeva/"))
    daughter = html_of(client.get("/people/nuosulu/"))

    assert 'Mother of <a href="/people/nuosulu/"><bdi>Nuosulu Sailybaeva</bdi></a>' in mother
    assert 'href="/organisations/lpha/"' in mother
    assert "Hidden group" not in mother
    assert "Someone only in a draft" not in mother
    assert "Kulzhan Sailybaeva</bdi></a>: mother of <bdi>Nuosulu Sailybaeva</bdi>" in daughter


def test_a_person_only_in_drafts_is_a_404(client, make_person, make_case):
    person = make_person("Draft person", slug="draft-person")
    make_case(people=[person], published=False)

    assert client.get("/people/draft-person/").status_code == 404


def test_a_person_in_no_case_is_a_404(client, make_person):
    make_person("Nobody", slug="nobody")

    assert client.get("/people/nobody/").status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_it_makes_the_same_number_of_queries_whatever_the_number_of_cases(
    client, kulzhan, make_case, make_person, make_charge, make_organisation, rows,
    django_assert_num_queries,
):  # fmt: skip
    for _ in range(rows):
        case = make_case(people=[kulzhan, make_person()], charges=[make_charge()])
        record_status_change(
            case,
            participants=case.participants.all(),
            status="charged",
            date=datetime.date(2011, 9, 14),
            headline="Charged",
            sources=[cited()],
        )
        relative = make_person()
        make_case(people=[relative])
        Relationship.objects.create(person=kulzhan, kind="relative", relative=relative)
        organisation = make_organisation()
        make_case().organisation_links.create(organisation=organisation, role="targeted")
        Membership.objects.create(person=kulzhan, organisation=organisation)

    # The person; the cases, their people and charges; memberships; both
    # directions of relationships; the entries that concern them, with the
    # people each names (the timeline); their detentions with their places and
    # their verdicts (the facts panel).
    with django_assert_num_queries(11):
        response = client.get("/people/kulzhan-sailybaeva/")

    assert response.status_code == 200
    assert len(response.context["cases"]) == rows
