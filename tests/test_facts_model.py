"""Detentions, verdicts, places of detention and recognitions: the rules that
keep bad facts out, each refused by the form's validation (clean()) with
words an editor can act on and, where a database can say it, by the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import (
    CaseCharge,
    CaseParticipant,
    DatePrecision,
    Detention,
    Person,
    PlaceOfDetention,
    Sex,
    Status,
    Verdict,
    VerdictCharge,
)
from cases.models.statuses import _COUNTED, CASE_STATUS_ORDER, STATUS_MEANINGS

SEPTEMBER_2011 = datetime.date(2011, 9, 1)


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def messages_of(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


@pytest.fixture
def sokolova(make_person, make_case):
    """Natalia Sokolova, the oil workers' lawyer, accused in a published Kazakh case."""
    person = make_person("Natalia Sokolova", slug="natalia-sokolova")
    case = make_case("The Zhanaozen oil workers' lawyer", people=[person])
    return CaseParticipant.objects.get(case=case, person=person)


@pytest.fixture
def almaty_sizo(db):
    return PlaceOfDetention.objects.create(
        name="Pre-trial detention centre No. 1, Almaty",
        slug="almaty-sizo-1",
        kind=PlaceOfDetention.Kind.PRE_TRIAL_CENTRE,
        country="KZ",
        place="Almaty",
    )


def detention(participant, **fields) -> Detention:
    fields.setdefault("kind", Detention.Kind.PRE_TRIAL)
    fields.setdefault("start", datetime.date(2011, 9, 14))
    fields.setdefault("case", participant.case)
    return Detention(participant=participant, **fields)


def verdict(participant, **fields) -> Verdict:
    fields.setdefault("date", datetime.date(2011, 8, 8))
    fields.setdefault("outcome", Verdict.Outcome.CONVICTED)
    fields.setdefault("case", participant.case)
    return Verdict(participant=participant, **fields)


# Detentions


def test_a_release_before_the_arrest_is_refused_naming_both_dates(sokolova):
    episode = detention(sokolova, start=datetime.date(2011, 9, 14), end=datetime.date(2011, 9, 10))
    with pytest.raises(ValidationError) as refused:
        episode.full_clean()
    assert "cannot be before the start" in messages_of(refused.value, "end")
    assert "14 September 2011" in messages_of(refused.value, "end")
    refused_by_database(episode.save)
    assert not Detention.objects.exists()


def test_a_release_known_to_the_month_of_a_dated_arrest_is_accepted(sokolova):
    """Held from 14 September, released "in September 2011": the release is
    stored as 1 September, before the arrest's day, yet it may be the 30th."""
    episode = detention(sokolova, end=datetime.date(2011, 9, 20), end_precision=DatePrecision.MONTH)
    episode.full_clean()
    episode.save()
    assert episode.end == SEPTEMBER_2011


def test_a_detention_cannot_end_in_the_future(sokolova):
    episode = detention(sokolova, end=datetime.date.today() + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="expected release belongs to the verdict"):
        episode.full_clean()


def test_a_place_in_another_country_than_the_case_needs_a_note(sokolova):
    moscow = PlaceOfDetention.objects.create(
        name="Pre-trial detention centre No. 2, Moscow",
        slug="butyrka",
        kind=PlaceOfDetention.Kind.PRE_TRIAL_CENTRE,
        country="RU",
        place="Moscow",
    )
    episode = detention(sokolova, place=moscow)
    with pytest.raises(ValidationError) as refused:
        episode.full_clean()
    assert "not in the country of the case" in messages_of(refused.value, "note")

    episode.note = "Detained in Moscow on a Kazakh extradition request."
    episode.full_clean()


def test_a_place_in_the_country_of_the_case_needs_no_note(sokolova, almaty_sizo):
    detention(sokolova, place=almaty_sizo).full_clean()


# Places of detention


def test_a_letter_address_needs_the_town_or_region_of_its_place(db):
    place = PlaceOfDetention(
        name="Colony LA-155/14",
        kind=PlaceOfDetention.Kind.COLONY,
        country="KZ",
        postal_address="ул. Промышленная, 1, учреждение ЛА-155/14",
    )
    with pytest.raises(ValidationError, match="town or region of the place before its address"):
        place.full_clean()
    refused_by_database(
        lambda: PlaceOfDetention.objects.create(**_fields_of(place, slug="la-155-14"))
    )

    place.place = "Zarechny, Almaty Region"
    place.full_clean()
    place.save()
    assert place.slug == "colony-la-15514"


def _fields_of(place, **extra):
    return {
        "name": place.name,
        "kind": place.kind,
        "country": place.country,
        "place": place.place,
        "postal_address": place.postal_address,
        **extra,
    }


def test_a_place_is_known_by_every_spelling_its_sources_use(db):
    place = PlaceOfDetention(
        name="Prison No. 14, Baku",
        kind=PlaceOfDetention.Kind.PRISON,
        country="AZ",
        other_names="14 saylı cəzaçəkmə müəssisəsi\n  \nPenitentiary 14\n",
    )
    assert place.spellings == [
        "Prison No. 14, Baku",
        "14 saylı cəzaçəkmə müəssisəsi",
        "Penitentiary 14",
    ]


# Verdicts


def test_a_conviction_with_neither_term_nor_kind_is_refused(sokolova):
    sentence = verdict(sokolova)
    with pytest.raises(ValidationError) as refused:
        sentence.full_clean()
    assert "Give the sentence" in messages_of(refused.value, "sentence_kind")
    refused_by_database(sentence.save)
    assert not Verdict.objects.exists()


def test_a_term_without_a_kind_is_imprisonment(sokolova):
    sentence = verdict(sokolova, term_years=6)
    sentence.full_clean()
    assert sentence.sentence_kind == Verdict.SentenceKind.IMPRISONMENT
    assert sentence.sentence_display == "imprisonment, 6 years"


def test_a_fine_or_a_life_sentence_has_no_term(sokolova):
    for kind in (Verdict.SentenceKind.LIFE, Verdict.SentenceKind.FINE):
        with pytest.raises(ValidationError, match="has no term"):
            verdict(sokolova, sentence_kind=kind, term_years=2).full_clean()
    verdict(sokolova, sentence_kind=Verdict.SentenceKind.LIFE).full_clean()


def test_an_acquittal_passes_no_sentence(sokolova):
    with pytest.raises(ValidationError, match="passes no sentence"):
        verdict(sokolova, outcome=Verdict.Outcome.ACQUITTED, term_years=2).full_clean()
    verdict(sokolova, outcome=Verdict.Outcome.ACQUITTED).full_clean()


@pytest.mark.parametrize(
    "start, precision, term, release",
    [
        # Sokolova: six years from her arrest on 17 May 2011.
        (datetime.date(2011, 5, 17), DatePrecision.DAY, (6, None, None), ("2017-05-17", "day")),
        (datetime.date(2011, 9, 14), DatePrecision.DAY, (1, 6, 10), ("2013-03-24", "day")),
        # Known to the month: the release is known to the month.
        (datetime.date(2011, 9, 1), DatePrecision.MONTH, (4, 6, None), ("2016-03-01", "month")),
        (datetime.date(2011, 1, 1), DatePrecision.YEAR, (4, None, None), ("2015-01-01", "year")),
        # Finer than the start: it could end in either of two months or years.
        (datetime.date(2011, 9, 1), DatePrecision.MONTH, (None, None, 15), None),
        (datetime.date(2011, 1, 1), DatePrecision.YEAR, (None, 6, None), None),
    ],
)
def test_the_expected_release_follows_from_the_term_and_its_start_at_its_precision(
    sokolova, start, precision, term, release
):
    years, months, days = term
    sentence = verdict(
        sokolova,
        term_years=years,
        term_months=months,
        term_days=days,
        sentence_start=start,
        sentence_start_precision=precision,
    )
    sentence.full_clean()
    if release is None:
        assert sentence.expected_release is None
    else:
        assert (sentence.expected_release.isoformat(), sentence.expected_release_precision) == (
            release
        )


def test_an_expected_release_that_the_term_contradicts_is_refused(sokolova):
    sentence = verdict(
        sokolova,
        term_years=6,
        sentence_start=datetime.date(2011, 5, 17),
        expected_release=datetime.date(2016, 5, 17),
    )
    with pytest.raises(ValidationError) as refused:
        sentence.full_clean()
    assert "give 17 May 2017" in messages_of(refused.value, "expected_release")


def test_an_expected_release_from_a_source_is_kept_when_the_term_is_unknown(sokolova):
    sentence = verdict(
        sokolova,
        sentence_kind=Verdict.SentenceKind.IMPRISONMENT,
        expected_release=datetime.date(2017, 5, 20),
        expected_release_precision=DatePrecision.MONTH,
    )
    sentence.full_clean()
    assert sentence.expected_release == datetime.date(2017, 5, 1)


def test_an_appeal_reviews_an_earlier_verdict_of_the_same_person(sokolova, make_person):
    first = verdict(sokolova, term_years=6)
    first.full_clean()
    first.save()

    with pytest.raises(ValidationError, match="Choose the earlier verdict"):
        verdict(sokolova, outcome=Verdict.Outcome.UPHELD).full_clean()
    with pytest.raises(ValidationError, match="cannot be decided before"):
        verdict(
            sokolova,
            outcome=Verdict.Outcome.UPHELD,
            appeal_of=first,
            date=datetime.date(2011, 8, 1),
        ).full_clean()
    other = CaseParticipant.objects.create(
        case=sokolova.case, person=make_person("Yevgeny Zhovtis"), role="accused"
    )
    with pytest.raises(ValidationError, match="same person"):
        verdict(other, outcome=Verdict.Outcome.UPHELD, appeal_of=first).full_clean()

    upheld = verdict(
        sokolova, outcome=Verdict.Outcome.UPHELD, appeal_of=first, date=datetime.date(2011, 9, 28)
    )
    upheld.full_clean()
    upheld.save()
    assert list(first.appeals.all()) == [upheld]


def test_a_verdict_is_given_by_a_court(sokolova, make_organisation):
    ministry = make_organisation("Ministry of Internal Affairs", kind="state_body")
    with pytest.raises(ValidationError, match="is not recorded as a court"):
        verdict(sokolova, term_years=6, court=ministry).full_clean()
    court = make_organisation("Aktau City Court", kind="court")
    verdict(sokolova, term_years=6, court=court).full_clean()


def test_a_verdict_convicts_only_on_charges_of_its_case(sokolova, make_charge):
    incitement = make_charge("inciting social discord")
    sentence = verdict(sokolova, term_years=6)
    sentence.save()
    link = VerdictCharge(verdict=sentence, charge=incitement)
    with pytest.raises(ValidationError, match="not among the charges of the case"):
        link.full_clean()
    CaseCharge.objects.create(case=sokolova.case, charge=incitement, state="convicted")
    link.full_clean()


# Held now


def test_held_now_are_those_with_an_open_episode_in_a_published_case(
    sokolova, make_person, make_case
):
    detention(sokolova, start=SEPTEMBER_2011, start_precision=DatePrecision.MONTH).save()

    released = make_person("Ainur Kurmanov")
    case = make_case("Kurmanov", people=[released])
    detention(
        CaseParticipant.objects.get(person=released),
        end=datetime.date(2011, 9, 16),
    ).save()

    in_a_draft = make_person("Yevgeny Zhovtis")
    make_case("Zhovtis", people=[in_a_draft], published=False)
    detention(CaseParticipant.objects.get(person=in_a_draft)).save()

    assert list(Person.objects.held_now()) == [sokolova.person]
    assert Detention.objects.held_now().count() == 2
    assert Detention.objects.published().held_now().get().participant == sokolova
    assert case.participants.get().detentions.get().is_open is False


def test_a_person_held_in_two_published_cases_is_counted_once(sokolova, make_case):
    detention(sokolova).save()
    other = make_case("Another case", people=[sokolova.person])
    detention(CaseParticipant.objects.get(case=other), kind=Detention.Kind.PRISON).save()
    assert Person.objects.held_now().count() == 1


# People and statuses


def test_a_persons_sex_is_not_recorded_unless_an_editor_says(make_person):
    person = make_person("Natalia Sokolova")
    assert person.sex == Sex.NOT_RECORDED
    assert person.get_sex_display() == "not recorded"


def test_every_status_has_a_meaning_a_rank_in_a_case_and_a_count(db):
    for status in Status:
        assert STATUS_MEANINGS[status]
        assert status in _COUNTED
    assert sorted(CASE_STATUS_ORDER) == sorted(Status)
    assert len(set(CASE_STATUS_ORDER)) == len(CASE_STATUS_ORDER)


def test_someone_who_died_in_custody_ranks_above_the_released_in_a_case(db):
    from cases.models.statuses import case_status

    assert case_status([Status.RELEASED, Status.DIED_IN_CUSTODY]) == Status.DIED_IN_CUSTODY
    assert case_status([Status.FINED, Status.ADMINISTRATIVE_DETENTION]) == (
        Status.ADMINISTRATIVE_DETENTION
    )


def test_a_detention_concerns_a_person_in_its_own_case(sokolova, make_case, make_person):
    other_case = make_case("Another case", people=[make_person("Ainur Kurmanov")])
    episode = detention(sokolova, case=other_case)
    with pytest.raises(ValidationError) as refused:
        episode.full_clean()
    assert "Natalia Sokolova is not in this case" in messages_of(refused.value, "participant")
    with pytest.raises(ValueError):
        episode.save()
    assert not Detention.objects.exists()


def test_the_database_keeps_a_detention_and_a_verdict_to_a_person_of_their_case(
    sokolova, make_case, make_person
):
    """Written around clean() and save() (a bulk write, an update, a raw
    query): the database refuses a fact whose person is in another case, and
    moving a person's place in a case away from the facts that name it."""
    other_case = make_case("Another case", people=[make_person("Ainur Kurmanov")])
    kurmanov = other_case.participants.get()
    refused_by_database(
        lambda: Detention.objects.bulk_create([detention(sokolova, case=other_case)])
    )
    verdict = Verdict(
        participant=sokolova,
        case=other_case,
        outcome="convicted",
        sentence_kind="fine",
        date=datetime.date(2012, 8, 8),
    )
    refused_by_database(lambda: Verdict.objects.bulk_create([verdict]))
    assert not Detention.objects.exists() and not Verdict.objects.exists()

    episode = detention(sokolova)
    episode.save()
    verdict.case = sokolova.case
    verdict.save()
    refused_by_database(lambda: Detention.objects.filter(pk=episode.pk).update(case=other_case))
    refused_by_database(
        lambda: Detention.objects.filter(pk=episode.pk).update(participant=kurmanov)
    )
    refused_by_database(lambda: Verdict.objects.filter(pk=verdict.pk).update(case=other_case))
    refused_by_database(
        lambda: CaseParticipant.objects.filter(pk=sokolova.pk).update(case=other_case)
    )
    episode.refresh_from_db()
    verdict.refresh_from_db()
    sokolova.refresh_from_db()
    assert episode.case == verdict.case == sokolova.case != other_case
    # A person's place with no detention or verdict may still move.
    CaseParticipant.objects.filter(pk=kurmanov.pk).update(case=sokolova.case)


def test_a_release_is_recorded_once_and_ends_being_held_now(sokolova):
    from cases.services import end_detention, record_detention

    episode = record_detention(sokolova, kind="pre_trial", start=datetime.date(2011, 9, 14))
    assert list(Person.objects.held_now()) == [sokolova.person]

    end_detention(episode, end=datetime.date(2011, 9, 16))
    assert not Person.objects.held_now().exists()
    with pytest.raises(ValidationError, match="has ended already"):
        end_detention(episode, end=datetime.date(2011, 9, 20))
    episode.refresh_from_db()
    assert episode.end == datetime.date(2011, 9, 16)


def test_a_draft_case_with_an_appeal_can_be_deleted_whole_but_not_the_verdict_appealed(
    make_case, make_person
):
    from django.db.models import RestrictedError

    from cases.services import record_verdict

    person = make_person("Natalia Sokolova")
    case = make_case("A draft", people=[person], published=False)
    participant = case.participants.get()
    first = record_verdict(
        participant, outcome="convicted", date=datetime.date(2011, 8, 8), term_years=6
    )
    record_verdict(participant, outcome="upheld", date=datetime.date(2011, 9, 28), appeal_of=first)
    with pytest.raises(RestrictedError):
        first.delete()
    case.delete()
    assert not Verdict.objects.exists()
