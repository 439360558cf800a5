"""A charge's cell in an imported list: "name, transliteration (state)", or a
name that has commas of its own (docs/import.md)."""

import pytest

from cases.imports.files import read_table
from cases.imports.mapping import load_mapping
from cases.imports.plan import make_plan
from cases.imports.writes import carry_out
from cases.models import Case, Charge

pytestmark = pytest.mark.django_db


def import_charges(cell: str, user) -> list[Charge]:
    text = f'title,country,name,charges\nCommas case,KZ,Ainur Example,"{cell}"\n'
    plan = make_plan(read_table(text.encode(), "list.csv"), load_mapping(None))
    assert not plan.has_errors, plan.results
    [case] = carry_out(plan, user=user)
    return [link.charge for link in Case.objects.get(pk=case.pk).charge_links.order_by("pk")]


def test_a_new_charge_whose_name_has_commas_is_one_charge_of_that_name(publisher):
    cell = "Organisation of, or participation in, mass riots (filed); arbitrariness, samoupravstvo"
    riots, arbitrariness = import_charges(cell, publisher)
    assert (riots.name, riots.name_transliterated) == (
        "Organisation of, or participation in, mass riots",
        "",
    )
    assert (arbitrariness.name, arbitrariness.name_transliterated) == (
        "arbitrariness",
        "samoupravstvo",
    )


def test_a_known_charge_whose_name_has_a_comma_is_found_with_or_without_its_transliteration(
    publisher,
):
    riots = Charge.objects.create(
        country="KZ",
        slug="riots",
        name="Organisation of, or participation in, mass riots",
        name_transliterated="massovye besporyadki",
    )
    hooliganism = Charge.objects.create(
        country="KZ", slug="hooliganism", name="Hooliganism, aggravated"
    )
    found = import_charges(
        "Hooliganism, aggravated; "
        "Organisation of, or participation in, mass riots, massovye besporyadki (filed)",
        publisher,
    )
    assert found == [hooliganism, riots]
    assert Charge.objects.count() == 2
