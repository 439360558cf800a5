"""Editors keep detentions and verdicts on the case's form, places of
detention on their own pages, recognitions on the person's; publishers keep
the list of categories; publishing names each fact that cites no source."""

import datetime
import re

import pytest
from django.urls import reverse

from cases.models import (
    CaseParticipant,
    Category,
    Detention,
    DetentionSource,
    PlaceOfDetention,
    StatusChange,
    Verdict,
)
from cases.services import publication_problems, record_detention, record_verdict

from .conftest import cited, form_data, record, staff_member


@pytest.fixture
def sokolova_case(make_case, make_person, samoupravstvo):
    """The draft case of Natalia Sokolova, charged under the demo's article."""
    person = make_person("Natalia Sokolova", slug="natalia-sokolova")
    return make_case(
        "The oil workers' lawyer", people=[person], charges=[samoupravstvo], published=False
    )


def case_form(client, case) -> dict:
    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert response.status_code == 200
    return form_data(response)


def with_detention(data, case, **fields) -> dict:
    participant = case.participants.get()
    row = {
        "participant": str(participant.pk),
        "kind": "pre_trial",
        "start": "2011-05-17",
        "start_precision": "day",
        "end_precision": "day",
        "cited": [str(cited().pk)],
        **fields,
    }
    data["detentions-TOTAL_FORMS"] = "1"
    data.update({f"detentions-0-{name}": value for name, value in row.items()})
    return data


def post_case(client, case, data):
    return client.post(reverse("admin:cases_case_change", args=[case.pk]), data)


def test_an_editor_records_a_detention_citing_its_source_on_the_case_form(
    client, editor, sokolova_case
):
    response = post_case(
        client, sokolova_case, with_detention(case_form(client, sokolova_case), sokolova_case)
    )

    assert response.status_code == 302, response.context["inline_admin_formsets"]
    detention = Detention.objects.get()
    assert (detention.participant.person.name, detention.start) == (
        "Natalia Sokolova",
        datetime.date(2011, 5, 17),
    )
    assert list(detention.sources.all()) == [cited()]
    assert detention.history.count() == 1


def test_a_release_before_the_arrest_on_the_case_form_is_refused_and_saves_nothing(
    client, editor, sokolova_case
):
    data = with_detention(case_form(client, sokolova_case), sokolova_case, end="2011-05-01")
    response = post_case(client, sokolova_case, data)

    assert response.status_code == 200
    assert "cannot be before the start of the detention" in response.text
    assert not Detention.objects.exists()
    assert not DetentionSource.objects.exists()


def test_an_editor_records_a_verdict_whose_expected_release_follows_from_its_term(
    client, editor, sokolova_case, samoupravstvo
):
    data = case_form(client, sokolova_case)
    participant = sokolova_case.participants.get()
    row = {
        "participant": str(participant.pk),
        "outcome": "convicted",
        "date": "2011-08-08",
        "date_precision": "day",
        "convicted_on": [str(samoupravstvo.pk)],
        "term_years": "6",
        "sentence_start": "2011-05-17",
        "sentence_start_precision": "day",
        "expected_release_precision": "day",
        "cited": [str(cited().pk)],
    }
    data["verdicts-TOTAL_FORMS"] = "1"
    data.update({f"verdicts-0-{name}": value for name, value in row.items()})

    response = post_case(client, sokolova_case, data)

    assert response.status_code == 302
    verdict = Verdict.objects.get()
    assert verdict.sentence_display == "imprisonment, 6 years"
    assert verdict.expected_release == datetime.date(2017, 5, 17)
    assert list(verdict.charges.all()) == [samoupravstvo]
    assert list(verdict.sources.all()) == [cited()]


def test_a_conviction_without_a_sentence_on_the_case_form_is_refused(client, editor, sokolova_case):
    data = case_form(client, sokolova_case)
    participant = sokolova_case.participants.get()
    data["verdicts-TOTAL_FORMS"] = "1"
    data.update(
        {
            "verdicts-0-participant": str(participant.pk),
            "verdicts-0-outcome": "convicted",
            "verdicts-0-date": "2011-08-08",
            "verdicts-0-date_precision": "day",
            "verdicts-0-sentence_start_precision": "day",
            "verdicts-0-expected_release_precision": "day",
        }
    )
    response = post_case(client, sokolova_case, data)
    assert response.status_code == 200
    assert "Give the sentence" in response.text
    assert not Verdict.objects.exists()


@pytest.mark.parametrize("size", [1, 20])
def test_the_case_form_opens_with_as_many_queries_for_many_detentions_as_for_one(
    client, editor, make_case, make_person, size, django_assert_max_num_queries
):
    people = [make_person(f"Activist {n}") for n in range(size)]
    case = make_case("Socialist Movement", people=people)
    for participant in CaseParticipant.objects.filter(case=case):
        record_detention(
            participant, kind="arrest", start=datetime.date(2011, 9, 14), sources=[cited()]
        )
    with django_assert_max_num_queries(23):
        response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    detentions = Detention.objects.filter(case=case)
    assert all(
        reverse("admin:cases_detention_change", args=[pk]) in response.text
        for pk in detentions.values_list("pk", flat=True)
    )
    assert response.text.count("<td>1 source</td>") == size


def test_a_place_of_detention_is_found_in_the_admin_by_any_spelling(client, editor):
    PlaceOfDetention.objects.create(
        name="Prison No. 14, Baku",
        slug="baku-14",
        kind="prison",
        country="AZ",
        other_names="Penitentiary 14\n14 saylı cəzaçəkmə müəssisəsi",
    )
    url = reverse("admin:cases_placeofdetention_changelist")
    for spelling in ("Penitentiary", "saylı", "Prison No. 14"):
        assert "Prison No. 14, Baku" in client.get(url, {"q": spelling}).text
    assert "Prison No. 14, Baku" not in client.get(url, {"q": "Butyrka"}).text


def test_an_editor_files_cases_under_categories_but_only_a_publisher_adds_one(
    client, db, fast_password_hasher
):
    url = reverse("admin:cases_category_add")
    client.force_login(staff_member("amina", "Editor"))
    assert client.post(url, {"name_en": "trade union"}).status_code == 403
    client.force_login(staff_member("timur", "Publisher"))
    assert client.post(url, {"name_en": "trade union"}).status_code == 302
    assert Category.objects.get().slug == "trade-union"


def test_publishing_names_each_detention_that_cites_no_source(sokolova_case):
    participant = sokolova_case.participants.get()
    record_detention(
        participant, kind="prison", start=datetime.date(2011, 9, 1), start_precision="month"
    )
    assert (
        "The detention of Natalia Sokolova (imprisonment (serving a sentence), since September 2011) cites no source."
        in publication_problems(sokolova_case)
    )


def test_the_case_form_lists_its_detentions_and_saving_it_changes_none_of_them(
    client, editor, sokolova_case
):
    participant = sokolova_case.participants.get()
    detention = record_detention(
        participant, kind="pre_trial", start=datetime.date(2011, 5, 17), sources=[cited()]
    )
    response = client.get(reverse("admin:cases_case_change", args=[sokolova_case.pk]))
    assert reverse("admin:cases_detention_change", args=[detention.pk]) in response.text
    assert "since 17 May 2011" in response.text

    assert post_case(client, sokolova_case, form_data(response)).status_code == 302
    detention.refresh_from_db()
    assert (detention.end, detention.history.count()) == (None, 1)


def detention_page(client, detention) -> dict:
    response = client.get(reverse("admin:cases_detention_change", args=[detention.pk]))
    assert response.status_code == 200
    return form_data(response)


def test_an_editor_ends_a_detention_on_its_own_page_and_returns_to_the_case(
    client, editor, sokolova_case
):
    participant = sokolova_case.participants.get()
    detention = record_detention(
        participant, kind="pre_trial", start=datetime.date(2011, 5, 17), sources=[cited()]
    )
    data = {**detention_page(client, detention), "end": "2011-08-08"}

    response = client.post(reverse("admin:cases_detention_change", args=[detention.pk]), data)

    assert response.status_code == 302
    assert response.url == reverse("admin:cases_case_change", args=[sokolova_case.pk])
    detention.refresh_from_db()
    assert detention.end == datetime.date(2011, 8, 8)
    assert list(detention.sources.all()) == [cited()]
    assert detention.history.first().history_user == editor


def test_a_release_before_the_arrest_on_a_detentions_page_is_refused_and_changes_nothing(
    client, editor, sokolova_case
):
    detention = record_detention(
        sokolova_case.participants.get(), kind="pre_trial", start=datetime.date(2011, 5, 17)
    )
    data = {**detention_page(client, detention), "end": "2011-05-01"}

    response = client.post(reverse("admin:cases_detention_change", args=[detention.pk]), data)

    assert response.status_code == 200
    assert "cannot be before the start of the detention" in response.text
    detention.refresh_from_db()
    assert detention.end is None


def test_a_detention_form_saved_by_another_editor_since_it_was_opened_is_refused(
    client, editor, sokolova_case
):
    detention = record_detention(
        sokolova_case.participants.get(), kind="pre_trial", start=datetime.date(2011, 5, 17)
    )
    opened = detention_page(client, detention)
    other = detention_page(client, detention)
    url = reverse("admin:cases_detention_change", args=[detention.pk])
    assert client.post(url, {**other, "end": "2011-08-08"}).status_code == 302

    response = client.post(url, {**opened, "note": "Moved to the colony in Karaganda."})

    assert response.status_code == 200
    detention.refresh_from_db()
    assert (detention.end, detention.note) == (datetime.date(2011, 8, 8), "")


def test_a_verdict_is_corrected_on_its_own_page_with_its_articles_kept(
    client, editor, sokolova_case, samoupravstvo
):
    participant = sokolova_case.participants.get()
    verdict = record_verdict(
        participant,
        outcome="convicted",
        date=datetime.date(2011, 8, 8),
        charges=[samoupravstvo],
        term_years=6,
        sentence_start=datetime.date(2011, 5, 17),
        sources=[cited()],
    )
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    # The expected release shown is the one derived from the old term: cleared, it follows.
    data = {**form_data(client.get(url)), "term_years": "5", "expected_release": ""}

    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    verdict.refresh_from_db()
    assert verdict.expected_release == datetime.date(2016, 5, 17)
    assert list(verdict.charges.all()) == [samoupravstvo]


def test_detentions_and_verdicts_are_recorded_from_their_case_not_on_a_page_of_their_own(
    client, editor
):
    for model in ("detention", "verdict"):
        assert client.get(reverse(f"admin:cases_{model}_add")).status_code == 403


def test_a_term_of_thousands_of_years_on_a_verdicts_page_is_refused_in_words(
    client, editor, sokolova_case
):
    verdict = record_verdict(
        sokolova_case.participants.get(),
        outcome="convicted",
        date=datetime.date(2011, 8, 8),
        term_years=6,
        sentence_start=datetime.date(2011, 5, 17),
    )
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    data = {**form_data(client.get(url)), "term_years": "9000", "expected_release": ""}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "A term of more than 100 years is a typing error" in response.text
    verdict.refresh_from_db()
    assert verdict.term_years == 6


def test_the_table_of_a_cases_detentions_takes_no_detention_posted_by_hand(
    client, editor, sokolova_case
):
    data = case_form(client, sokolova_case)
    participant = sokolova_case.participants.get()
    data["detentions-recorded-TOTAL_FORMS"] = "1"
    data.update(
        {
            "detentions-recorded-0-participant": str(participant.pk),
            "detentions-recorded-0-kind": "pre_trial",
            "detentions-recorded-0-start": "2011-05-17",
            "detentions-recorded-0-start_precision": "day",
            "detentions-recorded-0-end_precision": "day",
        }
    )
    post_case(client, sokolova_case, data)
    assert not Detention.objects.exists()


def test_a_detention_form_opened_before_another_editor_cited_a_source_is_refused(
    client, editor, sokolova_case, make_source
):
    detention = record_detention(
        sokolova_case.participants.get(),
        kind="pre_trial",
        start=datetime.date(2011, 5, 17),
        sources=[cited()],
    )
    opened = detention_page(client, detention)
    other = detention_page(client, detention)
    second = make_source("A second report")
    url = reverse("admin:cases_detention_change", args=[detention.pk])
    other["cited"] = [str(cited().pk), str(second.pk)]
    assert client.post(url, other).status_code == 302

    response = client.post(url, {**opened, "note": "Moved to the colony in Karaganda."})

    assert response.status_code == 200
    assert "Someone else changed the sources or articles" in response.text
    detention.refresh_from_db()
    assert sorted(s.title for s in detention.sources.all()) == [
        "A report cited by the tests",
        "A second report",
    ]
    assert detention.note == ""


# Taking a citation away is deleting its row: as in the case's own tables of
# sources, an editor cannot, a publisher can.


def cited_twice(sokolova_case, make_source, samoupravstvo, make_charge):
    """A verdict citing two sources and convicting on two articles."""
    hooliganism = make_charge("hooliganism", slug="hooliganism")
    sokolova_case.charge_links.create(charge=hooliganism, state="filed")
    return record_verdict(
        sokolova_case.participants.get(),
        outcome="convicted",
        date=datetime.date(2011, 8, 8),
        charges=[samoupravstvo, hooliganism],
        term_years=6,
        sources=[cited(), make_source("A second report")],
    )


@pytest.mark.parametrize(
    ("field", "kept", "error"),
    [
        (
            "cited",
            "A report cited by the tests (Example News)",
            "may cite sources but not take one away",
        ),
        (
            "convicted_on",
            "arbitrariness (Criminal Code, art. 327)",
            "may add articles but not take one away",
        ),
    ],
)
def test_an_editor_cannot_take_a_citation_away_by_unticking_it(
    client, editor, sokolova_case, make_source, samoupravstvo, make_charge, field, kept, error
):
    verdict = cited_twice(sokolova_case, make_source, samoupravstvo, make_charge)
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    data = form_data(client.get(url))
    assert len(data[field]) == 2
    data[field] = [
        value
        for value in data[field]
        if value != str((cited() if field == "cited" else samoupravstvo).pk)
    ]

    response = client.post(url, {**data, "sentence_note": "A ban on activity."})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert error in " ".join(errors[field]) and f"“{kept}” stays" in " ".join(errors[field])
    verdict.refresh_from_db()
    assert verdict.sentence_note == ""
    assert verdict.sources.count() == 2
    assert verdict.charges.count() == 2


def test_an_editor_may_still_cite_one_more_source_and_a_publisher_may_take_one_away(
    client, sokolova_case, make_source, samoupravstvo, make_charge
):
    verdict = cited_twice(sokolova_case, make_source, samoupravstvo, make_charge)
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    third = make_source("A third report")
    client.force_login(staff_member("amina", "Editor"))
    data = form_data(client.get(url))
    response = client.post(url, {**data, "cited": [*data["cited"], str(third.pk)]})
    assert response.status_code == 302
    assert verdict.sources.count() == 3

    client.force_login(staff_member("timur", "Publisher"))
    data = form_data(client.get(url))
    data["cited"] = [str(third.pk)]
    data["convicted_on"] = [str(samoupravstvo.pk)]
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(verdict.sources.all()) == [third]
    assert list(verdict.charges.all()) == [samoupravstvo]


def test_an_editor_cannot_untick_a_detention_s_source_either(
    client, editor, sokolova_case, make_source
):
    detention = record_detention(
        sokolova_case.participants.get(),
        kind="pre_trial",
        start=datetime.date(2011, 5, 17),
        sources=[cited(), make_source("A second report")],
    )
    url = reverse("admin:cases_detention_change", args=[detention.pk])
    data = {**detention_page(client, detention), "cited": [str(cited().pk)]}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "“A second report” stays cited" in response.text
    assert detention.sources.count() == 2


def test_a_verdict_that_an_appeal_reviews_cannot_be_moved_to_another_person(
    client, editor, make_case, make_person
):
    case = make_case("Two defendants", people=[make_person("First"), make_person("Second")])
    first, second = case.participants.order_by("person__name")
    verdict = record_verdict(
        first, outcome="convicted", date=datetime.date(2011, 8, 8), term_years=6
    )
    record_verdict(
        first,
        outcome="upheld",
        date=datetime.date(2011, 10, 8),
        appeal_of=verdict,
        term_years=6,
    )
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    data = {**form_data(client.get(url)), "participant": str(second.pk)}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "An appeal reviews this verdict" in response.text
    verdict.refresh_from_db()
    assert verdict.participant == first


# Releases and verdicts on the case's form agree with the timeline


def test_an_editor_ends_a_detention_by_a_release_and_it_goes_in_the_timeline(
    client, editor, sokolova_case
):
    participant = sokolova_case.participants.get()
    detention = record_detention(
        participant, kind="pre_trial", start=datetime.date(2011, 5, 17), sources=[cited()]
    )
    url = reverse("admin:cases_detention_change", args=[detention.pk])
    data = {**detention_page(client, detention), "end": "2012-03-01", "released": "on"}
    data.pop("cited")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Cite a source of the release" in response.text
    assert Detention.objects.get().end is None
    assert not StatusChange.objects.exists()

    data["cited"] = [str(cited().pk)]
    response = client.post(url, data)

    assert response.status_code == 302
    assert Detention.objects.get().end == datetime.date(2012, 3, 1)
    change = StatusChange.objects.get()
    assert (change.status, change.date, change.headline) == (
        "released",
        datetime.date(2012, 3, 1),
        "Natalia Sokolova released",
    )
    assert list(change.sources.all()) == [cited()]
    participant.refresh_from_db()
    assert participant.current_status == "released"


def test_an_open_detention_before_the_release_the_timeline_ends_with_is_refused(
    client, editor, sokolova_case
):
    record(sokolova_case, "released", date=datetime.date(2012, 3, 1))
    data = with_detention(case_form(client, sokolova_case), sokolova_case)
    response = post_case(client, sokolova_case, data)

    assert response.status_code == 200
    assert "The timeline says that Natalia Sokolova was released on 1 March 2012" in (response.text)
    assert not Detention.objects.exists()


def test_a_verdict_added_on_the_case_form_goes_in_the_timeline_once(client, editor, sokolova_case):
    data = case_form(client, sokolova_case)
    participant = sokolova_case.participants.get()
    data["verdicts-TOTAL_FORMS"] = "1"
    data.update(
        {
            "verdicts-0-participant": str(participant.pk),
            "verdicts-0-outcome": "acquitted",
            "verdicts-0-date": "2011-08-08",
            "verdicts-0-date_precision": "day",
            "verdicts-0-sentence_start_precision": "day",
            "verdicts-0-expected_release_precision": "day",
            "verdicts-0-cited": [str(cited().pk)],
        }
    )
    assert post_case(client, sokolova_case, data).status_code == 302
    assert post_case(client, sokolova_case, case_form(client, sokolova_case)).status_code == 302

    change = StatusChange.objects.get()
    assert (change.verdict, change.status, change.headline) == (
        Verdict.objects.get(),
        "acquitted",
        "Verdict on Natalia Sokolova: acquitted",
    )


def test_a_release_corrected_to_concern_one_more_person_ends_their_detention(
    client, editor, make_case, make_person
):
    case = make_case(people=[make_person("Natalia Sokolova"), make_person("Evgeniy Zhovtis")])
    sokolova, zhovtis = case.participants.order_by("person__name")
    held = record_detention(zhovtis, kind="prison", start=datetime.date(2011, 9, 1))
    change = record(case, "released", date=datetime.date(2012, 3, 1), participants=[sokolova])
    assert Detention.objects.get(pk=held.pk).end is None

    url = reverse("admin:cases_statuschange_change", args=[change.pk])
    data = form_data(client.get(url))
    prefix = "participant_links"
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data[f"{prefix}-1-participant"] = str(zhovtis.pk)
    data[f"{prefix}-1-status_change"] = str(change.pk)
    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Detention.objects.get(pk=held.pk).end == datetime.date(2012, 3, 1)


def test_an_editor_can_still_correct_a_verdict_convicted_on_a_charge_the_case_no_longer_has(
    client, sokolova_case, make_source, samoupravstvo, make_charge
):
    """A publisher took a charge off the case after a verdict convicted on it
    (a wrong article, replaced): the verdict's page no longer offers that
    article, so an editor cannot "tick it again". Correcting the verdict's
    note must not be refused for a box the page does not show."""
    verdict = cited_twice(sokolova_case, make_source, samoupravstvo, make_charge)
    sokolova_case.charge_links.get(charge__slug="hooliganism").delete()
    client.force_login(staff_member("amina", "Editor"))
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    page = client.get(url)
    # What a browser sends back: the boxes the page shows, ticked as shown.
    shown = re.findall(r'name="convicted_on" value="(\d+)"', page.text)
    assert shown == [str(samoupravstvo.pk)]
    data = {**form_data(page), "convicted_on": shown}

    response = client.post(url, {**data, "sentence_note": "A ban on activity."})

    assert response.status_code == 302, response.context["adminform"].form.errors
    verdict.refresh_from_db()
    assert verdict.sentence_note == "A ban on activity."


def test_a_verdict_moved_to_another_person_takes_its_timeline_entry_with_it(
    client, editor, make_case, make_person
):
    """An editor corrects the person a verdict is on (no appeal reviews it).
    Its entry in the timeline still told of the first person, who stayed
    'sentenced' while the second did not; and since the entry now concerns
    someone the verdict does not, a publisher can no longer delete the
    verdict (timeline.with_its_verdict() refuses: the entry 'says more')."""
    case = make_case("Two defendants", people=[make_person("First"), make_person("Second")])
    first, second = case.participants.order_by("person__name")
    verdict = record_verdict(
        first, outcome="convicted", date=datetime.date(2011, 8, 8), term_years=6
    )
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    data = {**form_data(client.get(url)), "participant": str(second.pk)}

    response = client.post(url, data)

    assert response.status_code == 302
    entry = verdict.status_change
    entry.refresh_from_db()
    assert list(entry.participant_links.values_list("participant", flat=True)) == [second.pk]
    assert dict(case.participants.values_list("pk", "current_status")) == {
        first.pk: "",
        second.pk: "sentenced",
    }


@pytest.mark.parametrize("own_headline", [False, True])
def test_a_corrected_sentence_is_what_the_timeline_and_the_public_then_say(
    client, editor, make_case, make_person, own_headline
):
    """The entry a verdict made follows its correction (status, date,
    headline); a headline an editor wrote themselves is theirs and stays."""
    case = make_case("Sokolova case", people=[make_person("Natalia Sokolova")])
    participant = case.participants.get()
    verdict = record_verdict(
        participant,
        outcome="convicted",
        date=datetime.date(2006, 11, 21),
        sentence_kind="suspended",
        term_years=3,
    )
    entry = verdict.status_change
    if own_headline:
        entry.headline = "Sokolova sentenced in Aktau"
        entry.save()
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    data = {
        **form_data(client.get(url)),
        "sentence_kind": "imprisonment",
        "term_years": "6",
        "date": "2006-11-22",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    assert entry.date == datetime.date(2006, 11, 22)
    assert entry.status == "sentenced"
    participant.refresh_from_db()
    assert participant.current_status == "sentenced"
    if own_headline:
        assert entry.headline == "Sokolova sentenced in Aktau"
    else:
        assert entry.headline == "Verdict on Natalia Sokolova: convicted, imprisonment, 6 years"
    assert StatusChange.objects.filter(case=case).count() == 1


def test_a_verdict_moved_away_from_an_entry_that_tells_of_two_people_leaves_it_as_recorded(
    client, editor, make_case, make_person
):
    case = make_case("Two defendants", people=[make_person("First"), make_person("Second")])
    first, second = case.participants.order_by("person__name")
    both = record(case, "convicted", datetime.date(2011, 8, 8), "Both convicted")
    verdict = record_verdict(
        first,
        outcome="convicted",
        date=datetime.date(2011, 8, 8),
        term_years=6,
        status_change=both,
    )
    url = reverse("admin:cases_verdict_change", args=[verdict.pk])
    data = {**form_data(client.get(url)), "participant": str(second.pk)}

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    both.refresh_from_db()
    assert both.verdict_id is None
    assert both.headline == "Both convicted"
    assert set(both.participant_links.values_list("participant", flat=True)) == {
        first.pk,
        second.pk,
    }
    own = StatusChange.objects.get(verdict=verdict)
    assert list(own.participant_links.values_list("participant", flat=True)) == [second.pk]


def test_the_table_of_detentions_escapes_a_persons_name_in_its_cells_and_its_links_name(
    client, editor, make_case, make_person, samoupravstvo
):
    person = make_person('Ivan "<b>Kurmanov</b>" & co', slug="ivan-kurmanov")
    case = make_case("A case", people=[person], charges=[samoupravstvo], published=False)
    detention = record_detention(
        case.participants.get(),
        kind="pre_trial",
        start=datetime.date(2011, 5, 17),
        sources=[cited()],
    )

    html = client.get(reverse("admin:cases_case_change", args=[case.pk])).text

    escaped = "Ivan &quot;&lt;b&gt;Kurmanov&lt;/b&gt;&quot; &amp; co"
    assert f"<td>{escaped}</td><td>pre-trial detention</td><td>since 17 May 2011</td>" in html
    address = reverse("admin:cases_detention_change", args=[detention.pk])
    assert (
        f'<a href="{address}" class="inlinechangelink" aria-label="Change: {escaped}, '
        f'pre-trial detention, since 17 May 2011">Change</a>'
    ) in html
    assert "<b>Kurmanov</b>" not in html
