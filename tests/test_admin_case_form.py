"""The case's admin page at size: a case with 30 people and 40 status changes
opens with as many queries as a case with one of each."""

import datetime
import re

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


def test_the_inlines_shared_choices_and_empty_rows_change_nothing_an_editor_sees(
    client, make_case, make_person, make_charge, make_organisation, make_source, monkeypatch
):
    from django.forms.models import BaseInlineFormSet

    from cases.admin_inlines import PageInlineFormSet

    case = long_case(make_case, make_person, make_charge, make_organisation, make_source, 3)
    roles = ["defendant", "witness", "lawyer"]
    for participant, role in zip(case.participants.order_by("pk"), roles, strict=False):
        participant.role = role
        participant.save()
    client.force_login(staff_member("amina", "Editor"))
    address = reverse("admin:cases_case_change", args=[case.pk])

    def html():
        text = client.get(address).text
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    ours = html()
    # Django's own: each row's choices read for it, the empty row built each time.
    monkeypatch.setattr(PageInlineFormSet, "_sharing_choices", lambda self, form: form)
    monkeypatch.setattr(PageInlineFormSet, "empty_form", BaseInlineFormSet.empty_form)
    django = html()

    assert ours == django
    for n, role in enumerate(roles):
        row = re.search(f'<select name="participants-{n}-role".*?</select>', ours, re.S).group()
        assert f'value="{role}" selected' in row
