"""No public page, feed, download or API answer shows a row's number: numbers
count the rows, and the gaps between public ones tell how many are hidden
(entries 1, 2, 3 and 50 in a feed: 46 not public)."""

import datetime
import re

import pytest

from cases import services
from cases.models import CaseParticipant, StatusChange, StatusChangeParticipant, StatusChangeSource

from .conftest import cited

pytestmark = pytest.mark.django_db

# Numbers no other part of the pages would show by chance.
CASE_PK, PERSON_PK, CHARGE_PK, CHANGE_PKS = 876_543, 765_432, 654_321, (543_210, 543_259)


@pytest.fixture
def smk(make_case, make_person, make_charge):
    ainur = make_person("Ainur Kurmanov", slug="ainur-kurmanov", pk=PERSON_PK)
    charge = make_charge("Samoupravstvo", slug="samoupravstvo", pk=CHARGE_PK)
    case = make_case(
        "Socialist Movement leaders", slug="smk", pk=CASE_PK, people=[ainur], charges=[charge]
    )
    for pk, (day, status) in zip(CHANGE_PKS, [(14, "suspect"), (30, "charged")], strict=True):
        change = services.record_status_change(
            case,
            participants=case.participants.all(),
            status=status,
            date=datetime.date(2011, 9, day),
            headline=f"Ainur Kurmanov {status}",
            sources=[cited()],
        )
        # Numbered as if entries between them had been hidden.
        StatusChange.objects.filter(pk=change.pk).update(id=pk)
        StatusChangeParticipant.objects.filter(status_change_id=change.pk).update(
            status_change_id=pk
        )
        StatusChangeSource.objects.filter(status_change_id=change.pk).update(status_change_id=pk)
    return case


SURFACES = [
    "/",
    "/cases/",
    "/cases/smk/",
    "/people/ainur-kurmanov/",
    "/charges/samoupravstvo/",
    "/feed/",
    "/cases/smk/feed/",
    "/countries/KZ/feed/",
    "/charges/samoupravstvo/feed/",
    "/cases/export.csv",
    "/cases/export.json",
    "/api/v1/cases/",
    "/api/v1/cases/smk/",
    "/api/v1/people/",
    "/api/v1/people/ainur-kurmanov/",
    "/api/v1/charges/samoupravstvo/",
    "/sitemap-cases.xml",
]


@pytest.mark.parametrize("path", SURFACES)
def test_no_public_surface_shows_the_number_of_a_row(client, smk, path):
    response = client.get(path)

    assert response.status_code == 200
    text = response.getvalue().decode()
    for pk in (CASE_PK, PERSON_PK, CHARGE_PK, *CHANGE_PKS):
        assert str(pk) not in text, (path, pk)


def test_an_entry_has_the_same_random_public_id_on_the_page_in_the_feed_and_in_the_api(client, smk):
    changes = StatusChange.objects.filter(case=smk)
    public_ids = {change.public_id for change in changes}
    assert len(public_ids) == 2
    assert all(re.fullmatch(r"[0-9a-f]{16}", public_id) for public_id in public_ids)

    page = client.get("/cases/smk/").text
    feed = client.get("/cases/smk/feed/").text
    api = client.get("/api/v1/cases/smk/").json()

    for public_id in public_ids:
        assert f'id="status-change-{public_id}"' in page
        assert f":status-change/{public_id}</id>" in feed
    assert {entry["id"] for entry in api["timeline"]} == public_ids
    for entry in api["timeline"]:
        assert entry["url"].endswith(f"/cases/smk/#status-change-{entry['id']}")


def test_each_status_change_gets_its_own_public_id(smk):
    participants = CaseParticipant.objects.filter(case=smk)
    more = [
        services.record_status_change(
            smk,
            participants=participants,
            status="charged",
            date=datetime.date(2011, 10, day),
            headline="Again",
            sources=[cited()],
        )
        for day in range(1, 21)
    ]

    assert len({change.public_id for change in more}) == 20
