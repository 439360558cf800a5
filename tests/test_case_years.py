"""The count of cases by year comes from CaseYear, which the database keeps of
every case's years (migration 0031), whatever path writes: after any mix of
status changes added, redated, moved, deleted and start dates changed, it
holds exactly the (case, year) pairs counted from scratch, and the count by
year is the one counted from those pairs. Two concurrent
edits of one case's year neither lose the pair nor leave it behind (on
PostgreSQL, whose row locks the triggers take)."""

import datetime
import importlib
import threading
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import facets
from cases.models import Case, CaseYear, PublicationState, StatusChange

from .test_admin_history import case_form
from .test_generate_cases import generate
from .test_import import plan_of

migration = importlib.import_module("cases.migrations.0031_case_years")

pytestmark = pytest.mark.django_db


def pairs_from_scratch() -> set[tuple[int, int]]:
    starts = Case.objects.exclude(start_date=None).values_list("pk", "start_date")
    changes = StatusChange.objects.values_list("case_id", "date")
    return {(case, date.year) for case, date in [*starts, *changes]}


def kept_pairs() -> set[tuple[int, int]]:
    return set(CaseYear.objects.values_list("case_id", "year"))


def count_from_scratch(cases) -> list[tuple[int, int]]:
    """[(year, number of CASES)], latest first, from the pairs counted from scratch."""
    ids = set(cases.values_list("pk", flat=True))
    counts = Counter(year for case, year in pairs_from_scratch() if case in ids)
    return sorted(counts.items(), reverse=True)


def assert_kept():
    assert kept_pairs() == pairs_from_scratch()
    for cases in (Case.objects.published(), Case.objects.all()):
        assert facets.count_by_year(cases) == count_from_scratch(cases)


def new_case(title, *, published=True, start_date=None):
    fields = {"publication_state": PublicationState.DRAFT}
    if published:
        fields = {
            "publication_state": PublicationState.PUBLISHED,
            "published_at": datetime.datetime(2011, 9, 20, tzinfo=datetime.UTC),
        }
    return Case.objects.create(
        title=title, slug=title, country="KZ", start_date=start_date, **fields
    )


def change(case, date):
    return StatusChange(case=case, date=date, status="charged", headline="Charged")


class RolledBack(Exception):
    pass


dates = st.dates(min_value=datetime.date(2009, 1, 1), max_value=datetime.date(2012, 12, 31))
which = st.integers(min_value=0, max_value=1000)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), which, dates),
        st.tuples(st.just("add in bulk"), which, st.lists(dates, min_size=1, max_size=3)),
        st.tuples(st.just("redate"), which, dates),
        st.tuples(st.just("redate in bulk"), which, dates),
        st.tuples(st.just("move to another case"), which, which),
        st.tuples(st.just("delete"), which),
        st.tuples(st.just("delete a year"), which, dates),
        st.tuples(st.just("start"), which, st.none() | dates),
        st.tuples(st.just("start in bulk"), which, st.none() | dates),
        st.tuples(st.just("delete the case"), which),
        st.tuples(st.just("delete the case in SQL"), which),
    ),
    max_size=20,
)


def carry_out(operation, cases):
    """One edit, by one of the paths that write: a model's save() and
    delete(), a queryset's update(), delete() and bulk_create()."""
    what, number, *rest = operation
    cases[:] = [case for case in cases if Case.objects.filter(pk=case.pk).exists()]
    changes = list(StatusChange.objects.order_by("pk"))
    if not cases:
        return
    case = cases[number % len(cases)]
    entry = changes[number % len(changes)] if changes else None
    match what, rest:
        case "add", [date]:
            change(case, date).save()
        case "add in bulk", [days]:
            StatusChange.objects.bulk_create([change(case, date) for date in days])
        case "redate", [date] if entry:
            entry.date = date
            entry.save()
        case "redate in bulk", [date]:
            StatusChange.objects.filter(case=case).update(date=date)
        case "move to another case", [other] if entry:
            StatusChange.objects.filter(pk=entry.pk).update(case=cases[other % len(cases)])
        case "delete", [] if entry:
            entry.delete()
        case "delete a year", [date]:
            StatusChange.objects.filter(case=case, date__year=date.year).delete()
        case "start", [date]:
            case.start_date = date
            case.save()
        case "start in bulk", [date]:
            Case.objects.filter(pk=case.pk).update(start_date=date)
        case "delete the case", []:
            case.delete()
        case "delete the case in SQL", []:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM cases_statuschange WHERE case_id = %s", [case.pk])
                cursor.execute("DELETE FROM cases_case WHERE id = %s", [case.pk])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=operations, start=st.none() | dates)
def test_after_any_edits_the_kept_years_are_those_counted_from_scratch(db, operations, start):
    try:
        with transaction.atomic():
            cases = [
                new_case("first", start_date=start),
                new_case("second"),
                new_case("draft", published=False, start_date=datetime.date(2010, 5, 1)),
            ]
            assert_kept()
            for operation in operations:
                carry_out(operation, cases)
                assert_kept()
            raise RolledBack
    except RolledBack:
        pass


def test_a_year_goes_only_when_neither_a_status_change_nor_the_start_falls_in_it():
    case = new_case("case", start_date=datetime.date(2011, 3, 1))
    first = change(case, datetime.date(2011, 9, 14))
    first.save()
    second = change(case, datetime.date(2012, 1, 5))
    second.save()
    assert kept_pairs() == {(case.pk, 2011), (case.pk, 2012)}

    first.delete()  # the start date is still in 2011
    assert kept_pairs() == {(case.pk, 2011), (case.pk, 2012)}
    case.start_date = datetime.date(2012, 2, 1)
    case.save()  # nothing in 2011 any more
    assert kept_pairs() == {(case.pk, 2012)}
    second.delete()  # the start date is still in 2012
    assert kept_pairs() == {(case.pk, 2012)}
    case.delete()
    assert kept_pairs() == set()


def test_the_triggers_are_there():
    """A later migration that remakes cases_case or cases_statuschange on
    SQLite drops them (see migration 0031): it must make them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = set(migration.SQLITE_TRIGGERS)
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {name for name, _table in migration.POSTGRESQL_TRIGGERS}
        assert expected <= {name for (name,) in cursor.fetchall()}


def test_the_migrations_data_step_counts_in_the_existing_rows():
    generate(cases=30)
    expected = pairs_from_scratch()
    assert len(expected) > 30
    CaseYear.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL[connection.vendor])
    assert kept_pairs() == expected


def test_the_demo_data_has_its_years():
    call_command("load_demo", verbosity=0)
    assert len(kept_pairs()) >= Case.objects.count()
    assert_kept()


def test_the_synthetic_cases_have_their_years():
    generate(cases=40)
    assert len(kept_pairs()) > 40
    assert_kept()


def test_a_dump_of_the_cases_loads_back_with_the_same_years(tmp_path):
    """loaddata writes the cases and their timelines (the triggers add their
    years) and the dump's own CaseYear rows (the same pairs, by their key)."""
    call_command("load_demo", verbosity=0)
    case = Case.objects.get(slug="natalia-sokolova")
    Case.objects.filter(pk=case.pk).update(start_date=datetime.date(2009, 4, 1))
    before = kept_pairs()
    assert (case.pk, 2009) in before
    dump = tmp_path / "cases.json"
    call_command("dumpdata", "cases", output=str(dump), verbosity=0)

    Case.objects.all().delete()
    assert kept_pairs() == set()
    call_command("loaddata", str(dump), verbosity=0)

    assert kept_pairs() == before
    assert_kept()


def test_an_import_keeps_the_years_of_its_cases(publisher):
    from cases.imports.writes import carry_out as carry_out_import

    carry_out_import(plan_of("list.xlsx"), user=publisher)
    assert_kept()
    assert {year for _case, year in kept_pairs()} == {2014}


def test_a_restored_version_of_a_case_brings_back_the_year_of_its_start(client, editor):
    case = new_case("case", start_date=datetime.date(2011, 9, 1))
    before = case.history.latest()
    case.start_date = datetime.date(2013, 1, 1)
    case.save()
    assert kept_pairs() == {(case.pk, 2013)}

    url = reverse("admin:cases_case_simple_history", args=[case.pk, before.history_id])
    form = client.get(url).context["adminform"].form
    response = client.post(url, {f.html_name: f.value() for f in form if f.value() is not None})

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).start_date == datetime.date(2011, 9, 1)
    assert kept_pairs() == {(case.pk, 2011)}


def test_an_editor_changing_the_start_date_changes_the_home_pages_years(client, editor):
    case = new_case("case", start_date=datetime.date(2011, 9, 1))
    change(case, datetime.date(2011, 10, 1)).save()
    data = case_form(client, case) | {"start_date": "2009-04-01", "start_date_precision": "day"}

    assert client.post(reverse("admin:cases_case_change", args=[case.pk]), data).status_code == 302

    assert Case.objects.get(pk=case.pk).start_date == datetime.date(2009, 4, 1)
    assert kept_pairs() == {(case.pk, 2009), (case.pk, 2011)}
    assert_kept()


needs_row_locks = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="races are tested on PostgreSQL, whose row locks the triggers take",
)


def race(first, second):
    """FIRST in a transaction of its own held open for a moment; SECOND,
    started meanwhile in another, waits for it if it must."""
    started = threading.Event()
    failures = []

    def run(work, hold):
        try:
            with transaction.atomic():
                work()
                if hold:
                    started.set()
                    time.sleep(1)
        except Exception as error:  # noqa: BLE001 -- reported by the test
            failures.append(error)
        finally:
            started.set()
            connection.close()

    one = threading.Thread(target=run, args=(first, True))
    one.start()
    started.wait(10)
    two = threading.Thread(target=run, args=(second, False))
    two.start()
    one.join(20)
    two.join(20)
    assert failures == []


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_year_added_while_another_entry_of_it_is_deleted_stays():
    case = new_case("case")
    old = change(case, datetime.date(2011, 3, 1))
    old.save()

    race(
        lambda: change(case, datetime.date(2011, 9, 14)).save(),
        lambda: StatusChange.objects.filter(pk=old.pk).delete(),
    )

    assert kept_pairs() == pairs_from_scratch() == {(case.pk, 2011)}


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_the_last_two_entries_of_a_year_deleted_at_once_take_the_year_with_them():
    case = new_case("case", start_date=datetime.date(2012, 1, 1))
    one, two = change(case, datetime.date(2011, 3, 1)), change(case, datetime.date(2011, 9, 1))
    StatusChange.objects.bulk_create([one, two])
    pks = list(StatusChange.objects.order_by("pk").values_list("pk", flat=True))

    race(
        lambda: StatusChange.objects.filter(pk=pks[0]).delete(),
        lambda: StatusChange.objects.filter(pk=pks[1]).delete(),
    )

    assert kept_pairs() == pairs_from_scratch() == {(case.pk, 2012)}
