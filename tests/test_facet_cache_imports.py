"""The counts of the list's filters by charge and organisation, kept across
edits of timelines (page_cache.LINKED_COUNTS), after an import: it can add
charges and organisations to published cases and entries to their timelines
at once (which alone stamps only TimelineOf)."""

import pytest

from cases import services
from cases.facets import published_facets
from cases.imports.files import read_table
from cases.imports.mapping import load_mapping
from cases.imports.plan import make_plan
from cases.imports.writes import carry_out
from cases.models import Case

pytestmark = pytest.mark.django_db

HEADER = "external_id,title,country,name,status,status_date,charges,organisations,sources\n"


def imported(text, user):
    plan = make_plan(read_table(text.encode(), "list.csv"), load_mapping(None))
    assert not plan.has_errors, plan.results
    return carry_out(plan, user=user)


def choices(client, name):
    return dict(client.get("/cases/").context["filter"].form.fields[name].choices)


def test_a_charge_and_an_entry_added_by_an_import_to_a_published_case_are_counted(
    client, publisher
):
    imported(
        HEADER + "X-1,Imported case,KZ,Yerlan Example,charged,2014-04-14,Article 164,,"
        "https://news.example.org/excel\n",
        publisher,
    )
    Case.objects.update(summary="A summary.")
    services.publish_case(Case.objects.get(), by=publisher)
    assert set(choices(client, "charge")) == {Case.objects.get().charges.get().slug}
    assert published_facets().charges  # counted, and kept

    # The same case again, with a second article and a later entry of its timeline.
    imported(
        HEADER + 'X-1,Imported case,KZ,Yerlan Example,convicted,2015-05-15,"Article 164, '
        'Article 174",,https://news.example.org/excel\n',
        publisher,
    )

    case = Case.objects.get()
    assert case.charges.count() == 2 and case.status_changes.count() == 2
    assert set(choices(client, "charge")) == {charge.slug for charge in case.charges.all()}
