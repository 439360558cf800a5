"""Public pages are kept in the cache until what they show is edited, for
visitors only, under an address that unread query parameters do not change,
and with the HTTP headers that let browsers and proxies keep them too."""

import shutil
import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.safestring import mark_safe

from cases import page_cache, services, views
from cases.models import PublicDataVersion, Status

from .conftest import form_data, record, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True
    settings.ALLOWED_HOSTS = ["testserver", "cases.example.org"]


@pytest.fixture
def smk(make_case, make_person):
    return make_case("Socialist Movement leaders", slug="smk", people=[make_person("Ainur")])


PAGES = ["/", "/cases/", "/cases/?country=KZ", "/cases/smk/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_seen_again_costs_one_query(client, smk, path, django_assert_num_queries):
    first = client.get(path)

    with django_assert_num_queries(1):  # the version of the public data
        again = client.get(path)

    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Security-Policy"]  # the middleware still runs


@pytest.mark.parametrize("path", PAGES)
def test_a_recorded_status_change_is_on_the_next_page(client, smk, path):
    assert "Became suspect" not in client.get(path).text
    record(smk, "suspect", headline="Became suspect")

    assert "Suspect" in client.get(path).text


def test_a_withdrawn_case_is_gone_on_the_next_request(client, smk):
    publisher = staff_member("publisher", "Publisher")
    assert client.get("/cases/smk/").status_code == 200

    services.withdraw_case(smk, by=publisher)

    assert client.get("/cases/smk/").status_code == 404
    assert "Socialist Movement leaders" not in client.get("/cases/").text


def test_editors_with_a_session_are_served_fresh_pages(client, smk, django_assert_num_queries):
    client.get("/cases/smk/")  # kept for visitors
    editor = staff_member("editor", "Editor")
    client.force_login(editor)
    smk.title = "Renamed without raising the version"
    smk.save()

    assert "Renamed without raising the version" in client.get("/cases/smk/").text


def test_errors_are_not_kept(client, smk, django_assert_num_queries):
    client.get("/cases/no-such-case/")
    client.get("/cases/?country=XX")
    client.get("/cases/?page=99")

    with django_assert_num_queries(2):  # the version, and the case again
        assert client.get("/cases/no-such-case/").status_code == 404
    assert client.get("/cases/?country=XX").status_code == 400
    assert client.get("/cases/?page=99").status_code == 404


def test_each_language_and_host_has_its_own_page(client, smk):
    english = client.get("/cases/smk/")
    russian = client.get("/ru/cases/smk/")
    english_asked_in_russian = client.get("/cases/smk/", headers={"accept-language": "ru"})
    elsewhere = client.get("/cases/smk/", headers={"host": "cases.example.org"})

    assert english.content != russian.content
    assert 'lang="ru"' in russian.text
    assert english_asked_in_russian.content == english.content
    assert "http://cases.example.org/cases/smk/" in elsewhere.text
    assert "http://cases.example.org/" not in client.get("/cases/smk/").text


def test_an_edit_in_the_admin_is_on_the_next_page(client, smk):
    client.get("/cases/smk/")
    editor = staff_member("editor", "Editor")
    other = type(client)()
    other.force_login(editor)
    url = reverse("admin:cases_case_change", args=[smk.pk])
    page = other.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in inline.formset.forms:
            for field in inline_form:
                if field.value() not in (None, False):
                    data[field.html_name] = field.value()
    data["title_en"] = "Leaders of the Socialist Movement"

    assert other.post(url, data).status_code == 302
    assert "Leaders of the Socialist Movement" in client.get("/cases/smk/").text


def test_it_can_be_turned_off(client, smk, settings):
    settings.PUBLIC_PAGE_CACHE = False

    with CaptureQueriesContext(connection) as first:
        client.get("/cases/smk/")
    with CaptureQueriesContext(connection) as again:
        client.get("/cases/smk/")

    assert len(again) == len(first) > 1


@pytest.fixture
def editor_client(client):
    other = type(client)()
    other.force_login(staff_member("editor", "Editor"))
    return other


@pytest.fixture
def two_cases(make_case, make_person, make_charge):
    """Two cases with nothing in common, and a third sharing a person with the first."""
    ainur, esenbek = make_person("Ainur Kurmanov"), make_person("Esenbek Ukteshbayev")
    smk = make_case(
        "Socialist Movement leaders",
        slug="smk",
        people=[ainur],
        charges=[make_charge("arbitrariness", slug="samoupravstvo")],
    )
    zhanaozen = make_case(
        "Zhanaozen strikers",
        slug="zhanaozen",
        people=[esenbek],
        charges=[make_charge("inciting social discord", slug="discord")],
    )
    kurmanov = make_case("Kurmanov's second trial", slug="kurmanov-2", people=[ainur])
    return smk, zhanaozen, kurmanov


def served_from_the_cache(client, path, django_assert_num_queries):
    with django_assert_num_queries(1):  # the version and the stamps of what it shows
        return client.get(path)


def test_a_status_change_on_one_case_leaves_the_pages_of_unrelated_cases_in_the_cache(
    client, two_cases, django_assert_num_queries
):
    smk, zhanaozen, _kurmanov = two_cases
    before = client.get("/cases/zhanaozen/").content
    client.get("/cases/smk/")
    client.get(f"/people/{zhanaozen.people.get().slug}/")

    record(smk, "suspect")

    assert (
        served_from_the_cache(client, "/cases/zhanaozen/", django_assert_num_queries).content
        == before
    )
    served_from_the_cache(
        client, f"/people/{zhanaozen.people.get().slug}/", django_assert_num_queries
    )
    assert "Suspect" in client.get("/cases/smk/").text


def test_a_status_change_reaches_the_pages_that_show_the_case_s_card(client, two_cases):
    smk, _zhanaozen, _kurmanov = two_cases
    ainur = smk.people.get()
    pages = ["/cases/kurmanov-2/", f"/people/{ainur.slug}/", "/charges/samoupravstvo/", "/"]
    for path in pages:
        assert "Suspect" not in client.get(path).text

    record(smk, "suspect")

    for path in pages:
        assert "Suspect" in client.get(path).text, path


def test_a_person_renamed_in_the_admin_is_renamed_on_every_page_of_their_cases(
    client, editor_client, two_cases, django_assert_num_queries
):
    smk, _zhanaozen, _kurmanov = two_cases
    ainur = smk.people.get()
    pages = ["/cases/smk/", "/cases/kurmanov-2/", "/cases/", f"/people/{ainur.slug}/"]
    for path in [*pages, "/cases/zhanaozen/"]:
        assert "Ainur Kurmanov" in client.get(path).text or path == "/cases/zhanaozen/"
    url = reverse("admin:cases_person_change", args=[ainur.pk])
    data = form_data(editor_client.get(url))
    data["name"] = "Aynur Kurmanov"

    assert editor_client.post(url, data).status_code == 302
    for path in pages:
        assert "Aynur Kurmanov" in client.get(path).text, path
    served_from_the_cache(client, "/cases/zhanaozen/", django_assert_num_queries)


def test_a_charge_renamed_in_the_admin_is_renamed_on_its_cases_pages_and_in_the_filters(
    client, editor_client, two_cases, django_assert_num_queries
):
    charge = two_cases[0].charges.get()
    for path in ["/cases/smk/", "/charges/samoupravstvo/", "/cases/", "/cases/zhanaozen/"]:
        client.get(path)
    url = reverse("admin:cases_charge_change", args=[charge.pk])
    data = form_data(editor_client.get(url))
    data["name_en"] = "wilfulness"

    assert editor_client.post(url, data).status_code == 302
    for path in ["/cases/smk/", "/charges/samoupravstvo/", "/cases/"]:
        assert "wilfulness" in client.get(path).text.lower(), path
    served_from_the_cache(client, "/cases/zhanaozen/", django_assert_num_queries)


def test_a_charge_added_to_a_case_in_the_admin_lists_the_case_on_the_charge_s_page(
    client, editor_client, two_cases
):
    smk, _zhanaozen, _kurmanov = two_cases
    assert "Socialist Movement leaders" not in client.get("/charges/discord/").text
    url = reverse("admin:cases_case_change", args=[smk.pk])
    data = form_data(editor_client.get(url))
    prefix = next(
        name[: -len("-TOTAL_FORMS")]
        for name in data
        if "charge" in name and name.endswith("-TOTAL_FORMS")
    )
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data[f"{prefix}-{index}-charge"] = smk.charges.model.objects.get(slug="discord").pk
    data[f"{prefix}-{index}-state"] = "filed"

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert "Socialist Movement leaders" in client.get("/charges/discord/").text


def test_publishing_a_case_reaches_the_list_and_the_home_page(client, make_case, make_person):
    publisher = staff_member("publisher", "Publisher")
    draft = make_case(
        "Zhanaozen strikers", summary="Arrests.", people=[make_person()], published=False
    )
    assert "Zhanaozen strikers" not in client.get("/cases/").text
    before = client.get("/").content

    services.publish_case(draft, by=publisher)

    assert "Zhanaozen strikers" in client.get("/cases/").text
    assert client.get("/").content != before


def test_a_new_generation_makes_every_kept_page_unreachable(client, smk):
    """What a restored backup does (cases.database_copies): rows changed
    without saying what, then a new token."""
    assert client.get("/cases/smk/").status_code == 200
    type(smk).objects.filter(pk=smk.pk).update(title="Restored title")

    PublicDataVersion.bump()

    assert "Restored title" in client.get("/cases/smk/").text


def test_an_edit_committed_while_a_page_renders_leaves_it_stale_not_wrong(client, smk, monkeypatch):
    """The stamps are read before the page is rendered: an edit that lands
    between the read and the render shows on the next request."""
    shows = page_cache.shows

    def edit_while_rendering(request, *topics):
        monkeypatch.setattr("cases.views.shows", shows)
        record(smk, "suspect")  # committed by another request, mid-render
        shows(request, *topics)

    monkeypatch.setattr("cases.views.shows", edit_while_rendering)
    assert "Became suspect" not in client.get("/cases/smk/").text  # rendered before the edit

    assert "Became suspect" in client.get("/cases/smk/").text


def test_while_one_request_renders_a_stale_page_again_the_others_are_served_the_old_one(
    client, smk, monkeypatch, django_assert_num_queries
):
    old = client.get("/cases/smk/").content
    record(smk, "suspect")
    monkeypatch.setattr(page_cache.cache, "add", lambda *args, **kwargs: False)  # lock taken

    assert served_from_the_cache(client, "/cases/smk/", django_assert_num_queries).content == old

    monkeypatch.undo()  # the lock is released
    assert "Became suspect" in client.get("/cases/smk/").text


def test_a_page_that_became_a_404_is_not_served_again_while_others_render(client, smk, monkeypatch):
    assert client.get("/cases/smk/").status_code == 200
    services.withdraw_case(smk, by=staff_member("publisher", "Publisher"))
    assert client.get("/cases/smk/").status_code == 404

    monkeypatch.setattr(page_cache.cache, "add", lambda *args, **kwargs: False)
    assert client.get("/cases/smk/").status_code == 404


def test_unread_query_parameters_and_their_order_make_no_other_page(
    client, smk, django_assert_num_queries
):
    first = client.get("/cases/?status=suspect&country=kz&utm_source=mail&country=KZ")
    client.get("/cases/smk/")

    again = served_from_the_cache(
        client, "/cases/?fbclid=1&country=KZ&status=suspect&status=", django_assert_num_queries
    )

    assert again.content == first.content
    assert "utm_source" not in first.text
    assert b"fbclid" not in again.content
    served_from_the_cache(client, "/cases/smk/?utm_source=mail", django_assert_num_queries)


def test_a_browser_that_has_the_page_is_answered_not_modified(client, smk):
    first = client.get("/cases/smk/")
    first = client.get("/cases/smk/")  # from the cache: the same headers

    by_etag = client.get("/cases/smk/", headers={"if-none-match": first["ETag"]})
    by_date = client.get("/cases/smk/", headers={"if-modified-since": first["Last-Modified"]})

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    record(smk, "suspect")
    assert client.get("/cases/smk/", headers={"if-none-match": first["ETag"]}).status_code == 200


def test_a_proxy_may_keep_a_visitor_s_page_for_the_stated_time_and_a_browser_asks_again(
    client, smk, settings
):
    settings.PUBLIC_PAGE_MAX_AGE = 30
    for response in [client.get("/cases/smk/"), client.get("/cases/smk/")]:
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=30"
        assert "Cookie" in response["Vary"]
        assert response["ETag"]


def test_an_editor_s_pages_may_be_stored_by_no_one(editor_client, smk):
    response = editor_client.get("/cases/smk/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_the_admin_and_a_draft_s_preview_may_be_stored_by_no_one(
    editor_client, make_case, make_person
):
    draft = make_case("Zhanaozen strikers", people=[make_person()], published=False)

    for url in [
        reverse("admin:cases_case_changelist"),
        reverse("admin:cases_case_preview", args=[draft.pk]),
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_while_one_request_renders_a_stale_page_the_others_at_that_moment_are_not_kept_waiting(
    make_case, make_person, monkeypatch
):
    """Eight visitors at once after an edit: one renders the page again, the
    seven others are served the page of before without waiting for it."""
    make_case("Socialist Movement leaders", slug="smk", people=[make_person("Ainur")])
    smk = type(make_case()).objects.get(slug="smk")
    old = Client().get("/cases/smk/").content
    record(smk, "suspect")
    rendering, others_served = threading.Event(), threading.Event()
    render_case_page = views.render_case_page

    def render_until_the_others_are_served(*args, **kwargs):
        rendering.set()
        others_served.wait(timeout=120)  # generous: a loaded CI machine is slow
        return render_case_page(*args, **kwargs)

    monkeypatch.setattr(views, "render_case_page", render_until_the_others_are_served)
    renderer = _in_a_thread(lambda: Client().get("/cases/smk/"))
    assert rendering.wait(timeout=30)
    others = [_in_a_thread(lambda: Client().get("/cases/smk/")) for _ in range(7)]
    for thread, _outcome in others:
        thread.join(timeout=120)
    others_served.set()
    renderer[0].join(timeout=120)

    assert [outcome["result"].content for _thread, outcome in others] == [old] * 7
    assert "Became suspect" in renderer[1]["result"].text
    assert "Became suspect" in Client().get("/cases/smk/").text


def _in_a_thread(function):
    """Run FUNCTION in a thread of its own, with its own database connection."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_one_spelling_of_each_value_makes_one_page(client, smk, django_assert_num_queries):
    first = client.get("/cases/?page=1&country=kz&q=Socialist%20%20Movement")

    again = served_from_the_cache(
        client, "/cases/?q=+Socialist+Movement&country=KZ&page=001", django_assert_num_queries
    )

    assert again.content == first.content


def test_a_list_narrowed_by_many_values_is_rendered_but_not_kept(client, smk):
    record(smk, "suspect")
    statuses = "&".join(f"status={status}" for status in Status.values)
    assert len(Status.values) > page_cache.KEPT_VALUES
    assert "Socialist Movement leaders" in client.get(f"/cases/?{statuses}").text

    with CaptureQueriesContext(connection) as again:
        assert client.get(f"/cases/?{statuses}").status_code == 200

    assert len(again) > 1


@pytest.mark.parametrize("path", PAGES)
def test_a_page_kept_by_the_release_before_a_deploy_is_not_served_after_it(
    client, smk, path, deploy
):
    assert "Every entry cites its sources." in client.get(path).text  # kept

    deploy("base.html", "Every entry cites its sources.", "Each entry cites its sources.")
    after = client.get(path).text

    assert "Each entry cites its sources." in after
    assert "Every entry cites its sources." not in after


def test_the_release_changes_with_a_translation(settings, tmp_path):
    from cases import release

    catalogue = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(b"a catalogue")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    release.current.cache_clear()
    before = release.current()
    catalogue.write_bytes(b"another catalogue")
    release.current.cache_clear()

    assert release.current() != before
    release.current.cache_clear()


def test_a_list_kept_by_the_release_before_a_deploy_of_its_code_is_not_served_after_it(
    client, smk, settings, tmp_path, monkeypatch
):
    """Python writes HTML too (the list's checkboxes, cases/templatetags/
    public_site.py; people's links; the widgets of repression/form_renderer.py):
    a deploy that changes it does not serve for a day the pages, nor the
    checkboxes, of the release before."""
    from cases import release
    from cases.templatetags import public_site

    assert "<bdi>Kazakhstan (1)</bdi>" in client.get("/cases/").text  # kept, and its checkboxes

    # The new release writes each checkbox's label in a <span>: its files ...
    code = tmp_path / "release"
    for package in ("cases", "repression"):
        shutil.copytree(
            settings.BASE_DIR / package,
            code / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    source = code / "cases" / "templatetags" / "public_site.py"
    text = source.read_text()
    assert "<bdi>{escape(label)}</bdi>" in text
    source.write_text(text.replace("<bdi>{escape(label)}</bdi>", "<span>{escape(label)}</span>"))
    settings.BASE_DIR = code
    # ... and the code a new process runs from them.
    written = public_site._facet_choices
    monkeypatch.setattr(
        public_site,
        "_facet_choices",
        lambda field, chosen: mark_safe(  # noqa: S308 (escaped by the original)
            str(written(field, chosen)).replace("<bdi>", "<span>").replace("</bdi>", "</span>")
        ),
    )
    release.current.cache_clear()  # read once per process: a new one

    after = client.get("/cases/").text
    release.current.cache_clear()

    assert "<span>Kazakhstan (1)</span>" in after
    assert "<bdi>Kazakhstan (1)</bdi>" not in after


def test_two_app_servers_installed_at_different_paths_run_the_same_release(settings, tmp_path):
    """They share one cache: a page kept by one is served by the other."""
    from cases import release

    base = settings.BASE_DIR
    release.current.cache_clear()
    here = release.current()
    for part in ("templates", "locale", *release.CODE, release.PACKAGES):
        source = base / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / "elsewhere" / part)
        elif source.is_file():
            shutil.copy(source, tmp_path / "elsewhere" / part)
    settings.BASE_DIR = tmp_path / "elsewhere"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "elsewhere" / "templates"]}]
    settings.LOCALE_PATHS = [tmp_path / "elsewhere" / "locale"]
    release.current.cache_clear()

    assert release.current() == here
    release.current.cache_clear()
