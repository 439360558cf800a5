"""The case's admin page at size: a case with 30 people and 40 status changes
opens with as many queries as a case with one of each."""

import datetime

import pytest
from django.urls import reverse

from cases.models import CallToActionTarget, CaseOrganisation, CaseSource
from cases.services import record_status_change

from .conftest import cited, staff_member


def long_case(make_case, make_person, make_charge, make_organisation, make_source, size):
    people = [make_person(f"Activist {n}") for n in range(size)]
    case = make_case("Socialist Movement", people=people, charges=[make_charge()])
    for n in range(size):
        organisation = make_organisation()
        CaseOrganisation.objects.create(case=case, organisation=organisation, role="targeted")
        CaseSource.objects.create(case=case, source=make_source())
        CallToActionTarget.objects.create(
            case=case, organisation=organisation, addressee=f"Office {n}"
        )
    participants = list(case.participants.all())
    for n in range(size):
        record_status_change(
            case,
            participants=participants[n % len(participants) :][:3],
            status="charged",
            date=datetime.date(2011, 1, 1) + datetime.timedelta(days=n),
            headline=f"Entry {n}",
            sources=[cited()],
        )
    return case


@pytest.mark.parametrize("size", [1, 30])
def test_an_editor_opens_a_long_case_with_as_many_queries_as_a_short_one(
    client, make_case, make_person, make_charge, make_organisation, make_source, size,
    django_assert_max_num_queries,
):  # fmt: skip
    case = long_case(make_case, make_person, make_charge, make_organisation, make_source, size)
    client.force_login(staff_member("amina", "Editor"))

    # 16, and 7 for the inlines of issue 15 (categories, detentions, verdicts):
    # their rows, sources, charges and the choices of people, read once.
    with django_assert_max_num_queries(23):
        response = client.get(reverse("admin:cases_case_change", args=[case.pk]))

    assert response.status_code == 200
    html = response.text
    for n in range(size):
        # Each person's searchable dropdown shows the person chosen, by name.
        assert f"selected>Activist {n}</option>" in html
        assert f"Entry {n}" in html
