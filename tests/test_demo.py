"""The demo data: the September 2011 story, loaded once however often it runs."""

import datetime

import pytest
from django.core import serializers
from django.core.management import call_command

from cases.demo import ARTICLE
from cases.models import (
    Case,
    CaseCharge,
    Charge,
    Detention,
    Organisation,
    Person,
    PlaceOfDetention,
    Relationship,
    Source,
    StatusChange,
    Verdict,
)

ARTICLE_TITLE = ARTICLE["title"]

pytestmark = pytest.mark.django_db

DEMO_MODELS = [
    "cases.person",
    "cases.relationship",
    "cases.organisation",
    "cases.membership",
    "cases.charge",
    "cases.source",
    "cases.case",
    "cases.caseparticipant",
    "cases.casecharge",
    "cases.caseorganisation",
    "cases.casesource",
    "cases.calltoactiontarget",
    "cases.statuschange",
    "cases.statuschangeparticipant",
    "cases.statuschangesource",
    "cases.detention",
    "cases.detentionsource",
    "cases.verdict",
    "cases.placeofdetention",
    "cases.recognition",
]


def snapshot():
    """Every row of the domain, timestamps included."""
    return serializers.serialize("json", [obj for m in DEMO_MODELS for obj in _all(m)])


def _all(label):
    from django.apps import apps

    return apps.get_model(label).objects.order_by("pk")


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_the_demo_holds_the_six_people_of_the_article():
    call_command("load_demo", verbosity=0)
    names = set(Person.objects.values_list("name", flat=True))
    assert {
        "Ainur Kurmanov",
        "Esenbek Ukteshbayev",
        "Kulzhan Sailybaeva",
        "Nuosulu Sailybaeva",
        "Natalia Sokolova",
        "Evgeniy Zhovtis",
    } <= names
    assert Relationship.objects.filter(
        person__name="Kulzhan Sailybaeva", kind="mother", relative__name="Nuosulu Sailybaeva"
    ).exists()


def test_the_witnesses_became_suspects_on_14_september_2011():
    call_command("load_demo", verbosity=0)
    change = StatusChange.objects.get(date=datetime.date(2011, 9, 14))
    assert change.status == "suspect"
    assert change.date_display == "14 September 2011"
    assert sorted(p.person.name for p in change.participants.all()) == [
        "Ainur Kurmanov",
        "Esenbek Ukteshbayev",
    ]
    case = change.case
    assert case.current_status == "suspect"
    assert case.participants.get(person__slug="ainur-kurmanov").current_status == "suspect"
    # The article says only that the Sailybaevas are to be charged: no status is invented.
    assert case.participants.get(person__slug="nuosulu-sailybaeva").current_status == ""


def test_samoupravstvo_is_threatened_with_what_the_article_says_of_it():
    call_command("load_demo", verbosity=0)
    charge = Charge.objects.get(slug="samoupravstvo")
    assert (charge.country.code, charge.name_original) == ("KZ", "самоуправство")
    assert charge.maximum_penalty == "Up to two years' custody"
    assert (charge.code, charge.article) == ("", "")
    assert CaseCharge.objects.get(charge=charge).state == "threatened"


def test_every_case_and_entry_cites_the_article():
    call_command("load_demo", verbosity=0)
    article = Source.objects.get()
    assert article.published_on_display == "September 2011"
    assert article.url == ""  # The text we hold gives no address; none is invented.
    for case in Case.objects.all():
        assert list(case.sources.all()) == [article]
        assert case.is_published
    for change in StatusChange.objects.all():
        assert list(change.sources.all()) == [article]


def test_imprisonment_known_only_to_the_month_is_shown_as_the_month():
    call_command("load_demo", verbosity=0)
    sokolova = StatusChange.objects.get(case__slug="natalia-sokolova")
    assert (sokolova.status, sokolova.date_display) == ("imprisoned", "September 2011")


def test_sokolova_and_zhovtis_are_held_in_september_2011_and_nothing_more_is_said():
    """The article says only that both were in prison in September 2011
    (Zhovtis's "continuing imprisonment"): not since when, not where, not on
    what sentence."""
    call_command("load_demo", verbosity=0)
    held = Detention.objects.published().held_now().order_by("participant__person__name")
    assert [
        (d.participant.person.name, d.kind, d.start_display, d.may_have_begun_earlier, d.place)
        for d in held
    ] == [
        ("Evgeniy Zhovtis", "prison", "September 2011", True, None),
        ("Natalia Sokolova", "prison", "September 2011", True, None),
    ]
    assert [source.title for d in held for source in d.sources.all()] == [ARTICLE_TITLE] * 2
    assert sorted(Person.objects.held_now().values_list("name", flat=True)) == [
        "Evgeniy Zhovtis",
        "Natalia Sokolova",
    ]
    assert not Verdict.objects.exists()
    assert not PlaceOfDetention.objects.exists()


def test_the_call_to_action_names_the_contacts_the_article_gives():
    call_command("load_demo", verbosity=0)
    case = Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo")
    court = case.call_to_action_targets.get(organisation__slug="supreme-court-of-kazakhstan")
    assert court.email == "Rahimbekova@supcourt.kz"
    assert court.copy_to_list == ["Kulumbetova@supcourt.kz", "pressa@supcourt.kz"]
    assert court.phone_uri == "tel:+77172747570"
    assert case.call_to_action_targets.filter(kind="copy").get().email == (
        "KazakhstanSolidarity@gmail.com"
    )


def test_an_editors_withdrawal_survives_a_reload():
    call_command("load_demo", verbosity=0)
    Case.objects.filter(slug="evgeniy-zhovtis").update(publication_state="withdrawn")
    call_command("load_demo", verbosity=0)
    assert Case.objects.get(slug="evgeniy-zhovtis").publication_state == "withdrawn"


def test_organisations_named_in_the_article_are_there():
    call_command("load_demo", verbosity=0)
    acronyms = set(Organisation.objects.exclude(acronym="").values_list("acronym", flat=True))
    assert {"LPHA", "CWI", "OSCE"} <= acronyms
    assert Organisation.objects.filter(name="Talmas", kind="").exists()
