"""The database refuses bad data, and forms say why before it gets there."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import (
    CallToActionTarget,
    CaseParticipant,
    Charge,
    DatePrecision,
    Membership,
    Organisation,
    Person,
    PublicationState,
    Relationship,
    Source,
    StatusChange,
    StatusChangeParticipant,
)


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_two_people_cannot_share_a_slug(make_person):
    make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    refused_by_database(lambda: Person.objects.create(name="A. Kurmanov", slug="ainur-kurmanov"))


def test_a_duplicate_slug_is_reported_by_validation(make_person):
    make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    with pytest.raises(ValidationError, match="Another person already has this slug"):
        Person(name="A. Kurmanov", slug="ainur-kurmanov").full_clean()


@pytest.mark.parametrize(
    "model, fields",
    [
        (Organisation, {"name": "Talmas"}),
        (Charge, {"name": "arbitrariness", "country": "KZ"}),
    ],
)
def test_slugs_are_unique_for_organisations_and_charges(db, model, fields):
    model.objects.create(slug="taken", **fields)
    refused_by_database(lambda: model.objects.create(slug="taken", **fields))


def test_a_case_slug_is_unique(make_case):
    make_case(slug="kurmanov")
    refused_by_database(lambda: make_case(slug="kurmanov"))


def test_names_and_slugs_cannot_be_empty(db):
    refused_by_database(lambda: Person.objects.create(name="", slug="someone"))
    refused_by_database(lambda: Person.objects.create(name="Someone", slug=""))


def test_a_status_change_cannot_concern_a_person_from_another_case(make_case, make_person):
    kurmanov = make_person("Ainur Kurmanov")
    zhovtis = make_person("Evgeniy Zhovtis")
    samoupravstvo_case = make_case(people=[kurmanov])
    other_case = make_case(people=[zhovtis])
    change = StatusChange.objects.create(
        case=samoupravstvo_case, date=datetime.date(2011, 9, 14), status="suspect", headline="x"
    )
    stranger = CaseParticipant.objects.get(case=other_case)

    refused_by_database(
        lambda: StatusChangeParticipant.objects.create(status_change=change, participant=stranger)
    )
    with pytest.raises(ValidationError, match="only concern people in its own case"):
        StatusChangeParticipant(status_change=change, participant=stranger).full_clean()


def test_a_status_change_cannot_move_to_another_case_with_its_people(make_case, make_person):
    kurmanov = make_person("Ainur Kurmanov")
    case = make_case(people=[kurmanov])
    other_case = make_case()
    change = StatusChange.objects.create(
        case=case, date=datetime.date(2011, 9, 14), status="suspect", headline="x"
    )
    StatusChangeParticipant.objects.create(
        status_change=change, participant=case.participants.get()
    )

    refused_by_database(lambda: StatusChange.objects.filter(pk=change.pk).update(case=other_case))
    refused_by_database(lambda: CaseParticipant.objects.filter(case=case).update(case=other_case))


def test_a_person_named_in_the_timeline_cannot_be_removed_from_the_case(make_case, make_person):
    from django.db.models import RestrictedError

    kurmanov = make_person("Ainur Kurmanov")
    case = make_case(people=[kurmanov])
    change = StatusChange.objects.create(
        case=case, date=datetime.date(2011, 9, 14), status="suspect", headline="x"
    )
    participant = case.participants.get()
    StatusChangeParticipant.objects.create(status_change=change, participant=participant)

    with pytest.raises(RestrictedError):
        participant.delete()
    # Deleting the whole case takes its timeline with it.
    case.delete()
    assert not StatusChange.objects.filter(pk=change.pk).exists()


def test_a_person_in_a_case_cannot_be_deleted(make_case, make_person):
    from django.db.models import ProtectedError

    kurmanov = make_person("Ainur Kurmanov")
    make_case(people=[kurmanov])
    with pytest.raises(ProtectedError):
        kurmanov.delete()


def test_a_month_precise_date_cannot_name_a_day(make_case):
    case = make_case()
    refused_by_database(
        lambda: StatusChange.objects.create(
            case=case,
            date=datetime.date(2011, 9, 14),
            date_precision=DatePrecision.MONTH,
            status="imprisoned",
            headline="In prison",
        )
    )
    refused_by_database(
        lambda: StatusChange.objects.create(
            case=case,
            date=datetime.date(2011, 9, 1),
            date_precision=DatePrecision.YEAR,
            status="imprisoned",
            headline="In prison",
        )
    )


def test_validation_turns_a_month_precise_date_into_its_month(make_case):
    change = StatusChange(
        case=make_case(),
        date=datetime.date(2011, 9, 14),
        date_precision=DatePrecision.MONTH,
        status="imprisoned",
        headline="In prison",
    )
    change.full_clean()
    assert change.date == datetime.date(2011, 9, 1)
    assert change.date_display == "September 2011"
    assert change.date_iso == "2011-09"


def test_a_published_case_needs_its_publication_date(make_case):
    refused_by_database(
        lambda: make_case(publication_state=PublicationState.PUBLISHED, published_at=None)
    )


def test_a_person_cannot_be_their_own_relative(make_person):
    kulzhan = make_person("Kulzhan Sailybaeva")
    refused_by_database(
        lambda: Relationship.objects.create(person=kulzhan, kind="mother", relative=kulzhan)
    )


def test_a_membership_cannot_end_before_it_starts(make_person, make_organisation):
    refused_by_database(
        lambda: Membership.objects.create(
            person=make_person(),
            organisation=make_organisation(),
            since=datetime.date(2011, 9, 1),
            until=datetime.date(2010, 1, 1),
        )
    )


def test_an_organisation_cannot_be_part_of_itself(make_organisation):
    cwi = make_organisation("Committee for a Workers' International")
    refused_by_database(lambda: Organisation.objects.filter(pk=cwi.pk).update(parent=cwi))


def test_an_organisation_cannot_be_part_of_its_own_part(make_organisation):
    cwi = make_organisation("Committee for a Workers' International")
    section = make_organisation("Socialist Movement Kazakhstan", parent=cwi)
    cwi.parent = section
    with pytest.raises(ValidationError, match="part of itself"):
        cwi.full_clean()


def test_one_article_of_a_code_is_one_charge(db):
    Charge.objects.create(
        slug="a", name="arbitrariness", country="KZ", code="Criminal Code", article="327"
    )
    refused_by_database(
        lambda: Charge.objects.create(
            slug="b", name="self-rule", country="KZ", code="Criminal Code", article="327"
        )
    )
    # Charges whose article is not known do not collide.
    Charge.objects.create(slug="c", name="arbitrariness", country="KZ")
    Charge.objects.create(slug="d", name="hooliganism", country="KZ")


def test_two_sources_cannot_share_an_address_but_offline_ones_can(db):
    Source.objects.create(title="Article", url="https://news.example.org/1")
    refused_by_database(
        lambda: Source.objects.create(title="Same article", url="https://news.example.org/1")
    )
    Source.objects.create(title="Leaflet")
    Source.objects.create(title="Letter")


def test_a_call_to_action_target_needs_a_name_and_a_real_phone_number(make_case):
    case = make_case()
    refused_by_database(lambda: CallToActionTarget.objects.create(case=case, email="mid@mid.kz"))
    refused_by_database(
        lambda: CallToActionTarget.objects.create(
            case=case, addressee="Ministry", phone="call me maybe"
        )
    )


def test_copy_to_addresses_must_be_email_addresses(make_case):
    target = CallToActionTarget(
        case=make_case(), addressee="Supreme Court", copy_to="pressa@supcourt.kz, not an address"
    )
    with pytest.raises(ValidationError, match="not an email address"):
        target.full_clean()


def test_a_phone_number_becomes_a_tel_link(make_case):
    target = CallToActionTarget(case=make_case(), addressee="x", phone="+7 (7172) 74 55 24")
    assert target.phone_uri == "tel:+77172745524"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example.org/a.pdf", "data:text/html,hi"]
)
def test_a_source_address_must_be_a_web_address(db, url):
    with pytest.raises(ValidationError, match="http:// or https://"):
        Source(title="Article", url=url).full_clean()
