"""The counts of the list's filters and of the home page are cached until the next
edit: whatever an editor changes is seen on the next request."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from cases import services
from cases.facets import published_facets
from cases.models import PublicDataVersion

from .conftest import cited, form_data, record

pytestmark = pytest.mark.django_db


def choices(client, name):
    return dict(client.get("/cases/").context["filter"].form.fields[name].choices)


def home_counts(client):
    context = client.get("/").context
    return context["case_count"], [(c.code, n) for c, n in context["countries"]]


@pytest.fixture
def kz_case(make_case, make_person, make_charge):
    return make_case(
        "Kazakh case",
        slug="kz-case",
        country="KZ",
        summary="Summary.",
        people=[make_person()],
        charges=[make_charge("arbitrariness", slug="samoupravstvo")],
    )


def test_the_counts_are_counted_once_per_version(client, kz_case, django_assert_num_queries):
    client.get("/cases/")

    with django_assert_num_queries(1):
        published_facets()


def test_publishing_a_case_is_counted_on_the_next_request(client, kz_case, make_case, publisher):
    draft = make_case("Russian draft", country="RU", summary="Summary.", published=False)
    draft.participants.create(person=kz_case.people.get(), role="accused")
    assert home_counts(client) == (1, [("KZ", 1)])

    response = client.post(reverse("admin:cases_case_publish", args=[draft.pk]))

    assert response.status_code == 302
    assert home_counts(client) == (2, [("KZ", 1), ("RU", 1)])
    assert choices(client, "country") == {"KZ": "Kazakhstan (1)", "RU": "Russia (1)"}


def test_withdrawing_a_case_is_counted_on_the_next_request(client, kz_case, publisher):
    assert home_counts(client) == (1, [("KZ", 1)])

    client.post(reverse("admin:cases_case_withdraw", args=[kz_case.pk]))

    assert home_counts(client) == (0, [])
    assert choices(client, "charge") == {}


def test_a_recorded_status_change_is_counted_on_the_next_request(client, kz_case):
    assert choices(client, "status") == {}

    record(kz_case, "charged", datetime.date(2011, 9, 30), "Charged")

    assert choices(client, "status") == {"charged": "Charged (1)"}
    assert choices(client, "year") == {"2011": "2011 (1)"}


def test_a_case_edited_in_the_admin_is_counted_on_the_next_request(client, kz_case, publisher):
    assert choices(client, "country") == {"KZ": "Kazakhstan (1)"}
    url = reverse("admin:cases_case_change", args=[kz_case.pk])
    data = form_data(client.get(url))
    data["country"] = "UZ"

    response = client.post(url, data)

    assert response.status_code == 302
    assert choices(client, "country") == {"UZ": "Uzbekistan (1)"}


def test_a_charge_renamed_in_the_admin_is_named_so_on_the_next_request(client, kz_case, publisher):
    assert choices(client, "charge") == {"samoupravstvo": "Arbitrariness, Kazakhstan (1)"}
    charge = kz_case.charges.get()
    url = reverse("admin:cases_charge_change", args=[charge.pk])
    data = form_data(client.get(url))
    data["name_transliterated"] = "samoupravstvo"

    assert client.post(url, data).status_code == 302
    assert choices(client, "charge") == {
        "samoupravstvo": "Arbitrariness (samoupravstvo), Kazakhstan (1)"
    }


def test_an_edit_by_another_process_is_seen_too(client, kz_case):
    """The version lives in the database: an app server that did not make the
    edit still sees the new version, whatever is in its own cache."""
    assert home_counts(client) == (1, [("KZ", 1)])
    type(kz_case).objects.filter(pk=kz_case.pk).update(country="RU")  # by someone else
    PublicDataVersion.bump(topics=["lists"])  # in their transaction

    assert home_counts(client) == (1, [("RU", 1)])


def test_an_edit_that_is_rolled_back_keeps_the_version(kz_case):
    before = PublicDataVersion.current()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.public_data_changed()
        raise RuntimeError("the edit fails")

    assert PublicDataVersion.current() == before


def test_the_counts_are_named_in_the_language_of_the_request(client, kz_case):
    client.get("/cases/")  # cached in English

    response = client.get("/ru/cases/")

    country = dict(response.context["filter"].form.fields["country"].choices)["KZ"]
    assert country == "Казахстан (1)"


def test_while_one_request_counts_again_the_others_are_given_the_counts_of_before(
    client, kz_case, monkeypatch
):
    assert choices(client, "status") == {}
    record(kz_case, "charged", datetime.date(2011, 9, 30), "Charged")
    monkeypatch.setattr("cases.facets.cache.add", lambda *args, **kwargs: False)  # lock taken

    assert published_facets().statuses == []

    monkeypatch.undo()  # the lock is released
    assert published_facets().statuses == [("charged", 1)]


def test_an_edit_that_no_list_shows_leaves_the_counts_as_they_were_counted(
    client, kz_case, publisher, django_assert_num_queries
):
    source = cited()
    published_facets()
    url = reverse("admin:cases_source_change", args=[source.pk])
    data = form_data(client.get(url))
    data["title"] = "A report, corrected"

    assert client.post(url, data).status_code == 302
    with django_assert_num_queries(1):  # the version: nothing counted again
        published_facets()


def counted_tables(queries) -> set[str]:
    return {
        table
        for query in queries
        for table in ("cases_casecharge", "cases_caseorganisation")
        if f'FROM "{table}"' in query["sql"] or f'JOIN "{table}"' in query["sql"]
    }


def test_a_status_change_does_not_count_the_charges_and_organisations_again(
    client, kz_case, make_organisation, django_assert_max_num_queries
):
    """They are most of the counting (0.29 s of 0.41 at 100,000 cases), and
    an entry in a timeline cannot change them: the statuses and years are
    counted again, the charges and organisations kept."""
    kz_case.organisation_links.create(
        organisation=make_organisation("Rukh", slug="rukh"), role="accused"
    )
    published_facets()

    record(kz_case, "charged", datetime.date(2011, 9, 30), "Charged")

    with django_assert_max_num_queries(20) as queries:
        facets = published_facets()
    assert facets.statuses == [("charged", 1)]
    assert facets.years == [(2011, 1)]
    assert counted_tables(queries.captured_queries) == set()
    assert choices(client, "charge") == {"samoupravstvo": "Arbitrariness, Kazakhstan (1)"}
    assert choices(client, "organisation") == {"rukh": "Rukh (1)"}


def test_a_charge_added_to_a_case_in_the_admin_is_counted_after_a_status_change(
    client, kz_case, make_charge, publisher
):
    """The charges kept across a status change are counted again after any
    edit that can change them, in whatever order the edits come."""
    other = make_charge("espionage", slug="espionage")
    assert choices(client, "charge") == {"samoupravstvo": "Arbitrariness, Kazakhstan (1)"}
    url = reverse("admin:cases_case_change", args=[kz_case.pk])
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS") and "charge" in key)
    prefix = prefix.removesuffix("-TOTAL_FORMS")
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    data[f"{prefix}-{row}-charge"] = str(other.pk)
    data[f"{prefix}-{row}-state"] = "filed"

    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    record(kz_case, "charged", datetime.date(2011, 9, 30), "Charged")

    assert choices(client, "charge") == {
        "espionage": "Espionage, Kazakhstan (1)",
        "samoupravstvo": "Arbitrariness, Kazakhstan (1)",
    }


def list_count(client, **filters) -> int:
    return client.get("/cases/", filters).context["page"].paginator.count


def test_a_list_narrowed_by_country_and_charge_keeps_its_count_across_a_status_change(
    client, kz_case, make_case, make_charge, django_assert_max_num_queries
):
    """Its cases are the same whatever their statuses: it is not counted
    again; a list narrowed by status is."""
    filters = {"country": "KZ", "charge": "samoupravstvo"}
    assert list_count(client, **filters) == 1
    assert list_count(client, status="charged") == 0

    record(kz_case, "charged", datetime.date(2011, 9, 30), "Charged")

    with django_assert_max_num_queries(30) as queries:
        assert list_count(client, **filters) == 1
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "cases_casecharge" in sql]
    assert list_count(client, status="charged") == 1


def test_a_case_given_the_charge_is_counted_in_the_list_of_that_charge(
    client, kz_case, make_case, make_person, make_charge, publisher
):
    filters = {"country": "KZ", "charge": "samoupravstvo"}
    other = make_case("Second case", country="KZ", summary="Summary.", people=[make_person()])
    assert list_count(client, **filters) == 1
    record(kz_case, "charged", datetime.date(2011, 9, 30), "Charged")
    url = reverse("admin:cases_case_change", args=[other.pk])
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS") and "charge" in key)
    prefix = prefix.removesuffix("-TOTAL_FORMS")
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    data[f"{prefix}-{row}-charge"] = str(kz_case.charges.get().pk)
    data[f"{prefix}-{row}-state"] = "filed"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert list_count(client, **filters) == 2
    assert list_count(client, country="KZ") == 2


def test_withdrawing_a_case_after_a_status_change_is_counted(client, kz_case, publisher):
    published_facets()
    record(kz_case, "charged", datetime.date(2011, 9, 30), "Charged")
    published_facets()  # the charges kept

    client.post(reverse("admin:cases_case_withdraw", args=[kz_case.pk]))

    assert choices(client, "charge") == {}
    assert choices(client, "organisation") == {}


@pytest.mark.django_db(transaction=True)
def test_on_a_large_register_the_counts_are_counted_again_in_the_background(
    client, kz_case, make_case, settings, monkeypatch
):
    """An edit on a register larger than INLINE_CASES: the next visitor is
    given the home page with the counts of before at once, while one thread
    counts again; the page is not kept as up to date, and once the new counts
    are there the next visitor sees them."""
    import threading

    from cases import facets

    settings.PUBLIC_PAGE_CACHE = True
    monkeypatch.setattr(facets, "INLINE_CASES", 0)
    assert home_counts(client) == (1, [("KZ", 1)])

    release, counting = threading.Event(), threading.Event()
    count = facets.count_published_cases

    def held(version, **kwargs):
        counting.set()
        assert release.wait(30), "the test never let the count go on"
        return count(version, **kwargs)

    monkeypatch.setattr(facets, "count_published_cases", held)
    services.public_data_changed(make_case("Another Kazakh case", country="KZ"))

    stale = client.get("/")
    assert counting.wait(10)
    assert (stale.context["case_count"], client.get("/").status_code) == (1, 200)
    assert len(facets._counting) == 1  # one count, however many visitors

    release.set()
    for thread in list(facets._counting.values()):
        thread.join(30)
    assert not facets._counting
    assert "2 cases of political repression" in client.get("/").content.decode()


def test_with_no_counts_yet_a_request_waits_for_those_another_request_is_counting(
    kz_case, monkeypatch
):
    """Processes sharing a cache: the lock is another's, which keeps the
    counts a moment later; this request counts nothing itself."""
    from cases import facets

    monkeypatch.setattr(facets, "FIRST_COUNT_POLL_SECONDS", 0.01)
    counted = facets.count_published_cases(PublicDataVersion.current())
    looks = []

    def get(key, default=None):
        if key == facets.KEY:
            looks.append(key)
            return counted if len(looks) > 2 else None  # kept by the other request
        return "its lock" if key.endswith(":lock") else default

    monkeypatch.setattr(facets.cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(facets.cache, "get", get)
    monkeypatch.setattr(
        facets, "count_published_cases", lambda version: pytest.fail("counted again")
    )

    assert published_facets() is counted
