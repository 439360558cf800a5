"""The import at size (issue 16): a number of queries that does not grow with
the rows, and a timeline recorded in bulk that stands as the same entries
recorded one by one through services.record_status_change() would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.imports.files import read_table
from cases.imports.mapping import load_mapping
from cases.imports.plan import make_plan
from cases.imports.writes import carry_out
from cases.models import Case, CaseParticipant, Person, Source, StatusChange

pytestmark = pytest.mark.django_db
HEADER = "external_id,case_id,title,country,name,status,status_date,charges,sources\n"


def plan_of(text: str):
    return make_plan(read_table(text.encode(), "list.csv"), load_mapping(None))


def made_up_list(rows: int) -> str:
    lines = [HEADER]
    for number in range(rows):
        group = number // 3
        date = ["2014-04-14", "2014-04", "2014", "2013-12-01"][number % 4]
        lines.append(
            f"S:{number},G:{group},Case {group},KZ,Ainur Example-{number},charged,{date},"
            f'"Article 174",https://news.example.org/size/{group}\n'
        )
    return "".join(lines)


def queries_of_import(rows: int, user) -> tuple[int, int, int]:
    """The queries of importing a made-up list of ROWS rows: (of the plan,
    inserts of the import, its other queries)."""
    with CaptureQueriesContext(connection) as planning:
        plan = plan_of(made_up_list(rows))
    assert not plan.has_errors
    with CaptureQueriesContext(connection) as queries:
        carry_out(plan, user=user)
    inserts = sum(1 for q in queries.captured_queries if q["sql"].startswith("INSERT"))
    return len(planning), inserts, len(queries) - inserts


def test_the_queries_of_an_import_do_not_grow_with_its_rows(publisher):
    # Past 100 cases (services.GATHERED_LIMIT) the edit is said to change
    # everything, instead of the pages of each case: both lists are larger.
    few_planned, few_inserts, few_others = queries_of_import(330, publisher)
    Case.objects.all().delete()
    Person.objects.all().delete()
    Source.objects.all().delete()
    many_planned, many_inserts, many_others = queries_of_import(990, publisher)
    assert Case.objects.count() == 330 and Person.objects.count() == 990
    # The plan reads what the register holds of the file a few queries per 500 values.
    assert many_planned - few_planned <= (990 - 330) // 100
    # Reads, updates and locks: the same, but for a query per 500 values
    # more (the ids, the slugs): under one per 100 rows more.
    assert many_others - few_others <= (990 - 330) // 100
    # Rows are inserted in bulk, as many to a statement as the database takes
    # (SQLite: 999 values, so about 30 rows of a case or of its history).
    assert many_inserts - few_inserts <= (990 - 330) // 5


def timeline_of(case: Case) -> list[tuple]:
    return [
        (
            change.position,
            change.status,
            change.date.isoformat(),
            change.date_precision,
            sorted(p.person.name for p in change.participants.all()),
        )
        for change in StatusChange.objects.filter(case=case).chronological()
    ]


def statuses_of(case: Case) -> tuple:
    case.refresh_from_db()
    people = sorted(
        (p.person.name, p.current_status) for p in CaseParticipant.objects.filter(case=case)
    )
    return (
        case.current_status,
        case.last_status_change_on,
        case.last_status_change_precision,
        people,
    )


def by_hand_as_the_import_recorded(imported: Case, by_hand: Case, since: int = 0) -> None:
    """Record on BY_HAND, one by one, the entries of IMPORTED's timeline after
    the SINCE first ones, in the order the import recorded them."""
    links = {p.person.name: p for p in CaseParticipant.objects.filter(case=by_hand)}
    for change in StatusChange.objects.filter(case=imported).order_by("pk")[since:]:
        services.record_status_change(
            by_hand,
            participants=[links[p.person.name] for p in change.participants.all()],
            status=change.status,
            date=change.date,
            date_precision=change.date_precision,
            headline=change.headline,
            sources=list(change.sources.all()),
        )


OVERLAPPING = (
    HEADER
    + "A:1,C:1,Timeline case,KZ,Ainur Example,charged,2011-09-14,,https://example.org/1\n"
    + "A:2,C:1,Timeline case,KZ,Dana Example,charged,2011-09,,https://example.org/1\n"
    + "A:1,C:1,Timeline case,KZ,Ainur Example,pre_trial_detention,2011,,https://example.org/2\n"
    + "A:2,C:1,Timeline case,KZ,Dana Example,released,2011-03-02,,https://example.org/2\n"
    + "A:1,C:1,Timeline case,KZ,Ainur Example,sentenced,2012-01-05,,https://example.org/3\n"
)
CORRECTION = (
    HEADER
    + "A:1,C:1,Timeline case,KZ,Ainur Example,on_trial,2011-09,,https://example.org/4\n"
    + "A:2,C:1,Timeline case,KZ,Dana Example,witness,2011-12,,https://example.org/4\n"
    + "A:1,C:1,Timeline case,KZ,Ainur Example,released,2010,,https://example.org/4\n"
)


def test_a_timeline_imported_in_bulk_stands_as_the_same_entries_recorded_one_by_one(publisher):
    carry_out(plan_of(OVERLAPPING), user=publisher)
    imported = Case.objects.get()
    by_hand = Case.objects.create(title="By hand", slug="by-hand", country="KZ")
    for link in CaseParticipant.objects.filter(case=imported):
        CaseParticipant.objects.create(case=by_hand, person=link.person, role=link.role)
    by_hand_as_the_import_recorded(imported, by_hand)
    assert len(timeline_of(imported)) == 5
    assert timeline_of(imported) == timeline_of(by_hand)
    assert statuses_of(imported)[0] == "sentenced"
    assert statuses_of(imported)[1:] == statuses_of(by_hand)[1:]
    assert statuses_of(imported)[0] == statuses_of(by_hand)[0]

    # A second list adds entries among those the timeline has: some move.
    carry_out(plan_of(CORRECTION), user=publisher)
    by_hand_as_the_import_recorded(imported, by_hand, since=5)
    assert len(timeline_of(imported)) == 8
    assert timeline_of(imported) == timeline_of(by_hand)
    assert statuses_of(imported) == statuses_of(by_hand)


def test_timelines_of_several_cases_recorded_at_once_are_those_recorded_one_by_one(make_person):
    source = Source.objects.create(url="https://example.org/at-once", title="At once")
    links = []
    for number in range(4):
        case = Case.objects.create(title=f"Case {number}", slug=f"case-{number}", country="KZ")
        person = make_person(name=f"Person {number}")
        links.append(CaseParticipant.objects.create(case=case, person=person, role="accused"))
    already = ("2011-10-01", "day", "sentenced")
    new = [
        ("2011-09-14", "day", "charged"),
        ("2011-09-01", "month", "pre_trial_detention"),
        ("2011-01-01", "year", "witness"),
        ("2012-05-01", "month", "released"),
        ("2012-01-01", "year", "on_trial"),
    ]

    def entry(link, date, precision, status):
        return services.NewStatusChange(
            participants=[link],
            status=status,
            date=date,
            date_precision=precision,
            headline=status,
            sources=[source],
        )

    for link in links:
        services.record_status_change(link.case, **vars(entry(link, *already)))
    for link in links[2:]:
        for values in new:
            services.record_status_change(link.case, **vars(entry(link, *values)))
    services.record_status_changes(
        {link.case: [entry(link, *values) for values in new] for link in links[:2]}
    )

    def stands(link):
        return [
            (c.position, c.date.isoformat(), c.date_precision, c.status)
            for c in StatusChange.objects.filter(case=link.case).chronological()
        ], statuses_of(link.case)[:3]

    one_by_one = stands(links[2])
    assert [status for *_rest, status in one_by_one[0]] == [
        "charged",
        "pre_trial_detention",
        "sentenced",
        "witness",
        "released",
        "on_trial",
    ]
    assert one_by_one[1][0] == "on_trial"
    assert stands(links[0]) == stands(links[1]) == one_by_one == stands(links[3])
