"""The download of every published case (/cases/export.csv and .json with no
filter) is a file made once per version of the public data and served with
its length, never a stream that a server's timeout can cut short with a 200;
filtered downloads stream up to a stated number of cases and refuse more in
words. See cases/export_files.py."""

import csv
import io
import json
import os
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cases import export_files, exports
from cases.models import Case, PublicDataVersion
from cases.services import public_data_changed


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_titles(content: bytes) -> list[str]:
    return [row["title"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]


def files_made(kind_directory="exports/http-testserver/en/updated") -> list[str]:
    try:
        return sorted(default_storage.listdir(kind_directory)[1])
    except FileNotFoundError:
        return []


def complete(response) -> bytes:
    """The body of a whole download, checked against the length it announced."""
    assert response.status_code == 200
    assert response.has_header("Content-Length")
    content = body(response)
    assert len(content) == int(response["Content-Length"])
    return content


@pytest.fixture
def kazakh_cases(make_case, make_person):
    for number in range(5):
        make_case(f"Almaty activist {number}", people=[make_person(f"Activist {number}")])
    make_case("SECRET draft", people=[make_person("SECRET person")], published=False)
    public_data_changed()


def test_the_whole_csv_holds_every_published_case_and_says_how_long_it_is(client, kazakh_cases):
    response = client.get("/cases/export.csv")

    titles = csv_titles(complete(response))
    assert sorted(titles) == sorted(Case.objects.published().values_list("title", flat=True))
    assert len(titles) == 5
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    assert "X-Export-Note" not in response


def test_the_whole_json_holds_every_published_case_and_when_it_was_made(client, kazakh_cases):
    response = client.get("/cases/export.json")

    data = json.loads(complete(response))
    assert len(data["cases"]) == Case.objects.published().count() == 5
    assert data["list_url"] == "http://testserver/cases/"
    assert data["made_at"] == response["X-Export-Made"]
    assert "SECRET" not in json.dumps(data)


def test_the_whole_download_is_made_once_per_version_and_made_again_after_an_edit(
    client, kazakh_cases, make_case
):
    first = complete(client.get("/cases/export.csv"))
    [made, marker] = files_made()
    assert marker == f"{made}.made"

    make_case("A case added without an edit's version")  # as a script that forgets
    assert complete(client.get("/cases/export.csv")) == first  # the file of this version

    public_data_changed()
    titles = csv_titles(complete(client.get("/cases/export.csv")))

    assert "A case added without an edit's version" in titles
    assert len(titles) == 6
    assert made not in files_made()  # the older version's file is deleted
    assert len(files_made()) == 2


def test_each_sort_order_of_the_whole_list_has_its_own_file(client, make_case):
    for title in ["Beta", "Alpha", "Gamma"]:
        make_case(title)
    public_data_changed()

    by_title = csv_titles(complete(client.get("/cases/export.csv", {"sort": "title"})))

    assert by_title == ["Alpha", "Beta", "Gamma"]
    head = client.head("/cases/export.csv", {"sort": "title"})
    assert head.status_code == 200
    assert body(head) == b""
    assert int(head["Content-Length"]) == len(
        complete(client.get("/cases/export.csv", {"sort": "title"}))
    )


class HeldBuild:
    """The writer of the whole download, held at its start until released:
    the file is being made for as long as a test needs."""

    def __init__(self, monkeypatch):
        self.release = threading.Event()
        self.started = threading.Event()
        write = exports._write_whole_list

        def held(kind, made_at):
            self.started.set()
            assert self.release.wait(30), "the test never released the build"
            yield from write(kind, made_at)

        monkeypatch.setattr(exports, "_write_whole_list", held)

    def finish(self):
        self.release.set()
        for thread in list(export_files._building.values()):
            thread.join(30)
        assert not export_files._building


@pytest.fixture
def large_site(monkeypatch):
    """A site with more published cases than a request may stream: the whole
    download is made in the background."""
    monkeypatch.setattr(exports, "FILTERED_EXPORT_LIMIT", 2)


@pytest.mark.django_db(transaction=True)
def test_while_the_first_file_is_made_the_visitor_is_told_to_come_back_with_a_503(
    client, large_site, kazakh_cases, monkeypatch
):
    build = HeldBuild(monkeypatch)

    waiting = client.get("/cases/export.csv")
    assert build.started.wait(10)
    again = client.get("/cases/export.csv")  # one build at a time

    for response in (waiting, again):
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert "being made" in response.text
        assert "Content-Disposition" not in response
    assert len(export_files._building) == 1

    build.finish()
    assert len(csv_titles(complete(client.get("/cases/export.csv")))) == 5


@pytest.mark.django_db(transaction=True)
def test_while_the_next_file_is_made_the_previous_one_is_served_whole_and_labelled(
    client, large_site, kazakh_cases, make_case, monkeypatch
):
    export_files.make(export_files.ExportKind("http://testserver", "en", "updated", "csv"),
                      exports._write_whole_list)  # fmt: skip
    make_case("Added after the file was made")
    public_data_changed()
    build = HeldBuild(monkeypatch)

    previous = client.get("/cases/export.csv")

    assert len(csv_titles(complete(previous))) == 5
    assert "before the latest edit" in previous["X-Export-Note"]
    assert build.started.wait(10)
    build.finish()
    latest = client.get("/cases/export.csv")
    assert "Added after the file was made" in csv_titles(complete(latest))
    assert "X-Export-Note" not in latest
    assert len(files_made()) == 2  # the previous version's file is deleted


@pytest.mark.django_db(transaction=True)
def test_a_build_that_fails_half_way_is_never_served(client, large_site, kazakh_cases, monkeypatch):
    def fails_half_way(kind, made_at):
        yield "\ufeffurl,title\n"
        raise ConnectionError("the database went away")

    monkeypatch.setattr(exports, "_write_whole_list", fails_half_way)

    client.get("/cases/export.csv")
    for thread in list(export_files._building.values()):
        thread.join(30)
    response = client.get("/cases/export.csv")

    assert response.status_code == 503
    assert not [name for name in files_made() if name.endswith(".made")]


@pytest.mark.parametrize("address", ["/cases/export.csv", "/cases/export.json"])
def test_a_filtered_download_over_the_limit_is_refused_in_words(
    client, make_case, monkeypatch, address
):
    monkeypatch.setattr(exports, "FILTERED_EXPORT_LIMIT", 2)
    for _ in range(3):
        make_case(country="KZ")
    public_data_changed()

    response = client.get(address, {"country": "KZ"})

    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert (
        "These filters select 3 cases; a filtered download holds at most 2. Narrow the "
        f"filters, or download every published case at http://testserver{address}."
    ) in response.content.decode()


def test_a_filtered_download_within_the_limit_is_streamed(client, make_case, monkeypatch):
    monkeypatch.setattr(exports, "FILTERED_EXPORT_LIMIT", 2)
    make_case("Alpha", country="KZ")
    make_case("Beta", country="KZ")
    make_case("Moscow", country="RU")

    response = client.get("/cases/export.csv", {"country": "KZ"})

    assert response.status_code == 200
    assert response.streaming
    assert sorted(csv_titles(body(response))) == ["Alpha", "Beta"]


def test_the_list_offers_the_whole_download_when_its_filters_select_too_many(
    client, make_case, monkeypatch
):
    monkeypatch.setattr(exports, "FILTERED_EXPORT_LIMIT", 2)
    for _ in range(3):
        make_case(country="KZ")
    make_case(country="RU")
    public_data_changed()

    too_many = client.get("/cases/", {"country": "KZ"}).content.decode()
    few = client.get("/cases/", {"country": "RU"}).content.decode()

    assert "Too many cases to download with these filters (at most 2)" in too_many
    assert 'href="/cases/export.csv" download' in too_many
    assert "/cases/export.csv?country=KZ" not in too_many
    assert 'href="/cases/export.csv?country=RU" download' in few
    assert "Too many cases" not in few


def test_a_file_finished_late_for_an_earlier_version_leaves_the_later_versions_file(
    client, kazakh_cases, monkeypatch
):
    kind = export_files.ExportKind("http://testserver", "en", "updated", "csv")
    earlier = PublicDataVersion.current()
    public_data_changed()
    later = export_files.make(kind, exports._write_whole_list)
    # A slower process, which began on the earlier version, ends after it
    # (and then finds the later one in the database, as it is).
    began_on = iter([earlier])
    now = PublicDataVersion.current
    monkeypatch.setattr(
        PublicDataVersion, "current", classmethod(lambda cls: next(began_on, None) or now())
    )
    export_files.make(kind, exports._write_whole_list)
    monkeypatch.undo()

    assert export_files.made_file(kind, later.version) is not None
    assert complete(client.get("/cases/export.csv"))


# What is left on disk: the clean-up after a file is made (export_files.clean_up)
# deletes what no download can serve any more, never a file being written.

KIND = export_files.ExportKind("http://testserver", "en", "updated", "csv")


def left_unwritten(name: str, *, seconds_ago: int = 0) -> str:
    """A file stored as NAME whose process died (or is still writing it), not
    marked made, last written SECONDS_AGO."""
    stored = default_storage.save(name, ContentFile(b"\xef\xbb\xbfurl,title\nhttp://half"))
    when = time.time() - seconds_ago
    os.utime(default_storage.path(stored), (when, when))
    return stored.rsplit("/", 1)[1]


def test_a_file_of_the_current_version_never_marked_made_is_never_served(client, kazakh_cases):
    half = left_unwritten(KIND.name(PublicDataVersion.current()))

    response = client.get("/cases/export.csv")

    assert len(csv_titles(complete(response))) == 5
    assert len(csv_titles(complete(client.get("/cases/export.csv")))) == 5
    assert half in files_made()  # it may still be being written


def test_a_file_never_marked_made_is_deleted_once_abandoned_not_while_it_may_be_written(
    client, kazakh_cases
):
    earlier = KIND.name(PublicDataVersion.current())
    # Two processes that died while storing the file, the second given another name.
    abandoned = [
        left_unwritten(earlier, seconds_ago=export_files.ABANDONED_SECONDS + 60) for _ in range(2)
    ]
    public_data_changed()
    # A slower process, still writing the file of the version before the last.
    being_written = left_unwritten(KIND.name(PublicDataVersion.current()))
    public_data_changed()

    made = export_files.make(KIND, exports._write_whole_list)

    name = made.name.rsplit("/", 1)[1]
    assert files_made() == sorted([name, f"{name}.made", being_written])
    assert not set(abandoned) & set(files_made())


def test_after_a_restored_backup_the_files_of_the_old_generation_go_once_a_new_one_is_made(
    client, kazakh_cases
):
    for _ in range(5):
        public_data_changed()
    before_restore = export_files.make(KIND, exports._write_whole_list)
    # A backup taken at an earlier number, restored: the restore draws a new token.
    PublicDataVersion.objects.filter(pk=1).update(number=1)
    PublicDataVersion.bump()

    response = client.get("/cases/export.csv")

    assert len(csv_titles(complete(response))) == 5
    current = PublicDataVersion.current()
    assert files_made() == sorted(
        [KIND.name(current).rsplit("/", 1)[1], f"{KIND.name(current).rsplit('/', 1)[1]}.made"]
    )
    assert before_restore.name.rsplit("/", 1)[1] not in files_made()
