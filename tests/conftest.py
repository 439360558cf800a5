"""Shared fixtures: small factories that make readable, valid rows."""

import collections
import datetime
import itertools
import shutil
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.cache import cache, caches
from django.core.handlers.base import BaseHandler
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.accounts import two_factor
from cases.models import (
    Case,
    CaseCharge,
    CaseParticipant,
    Charge,
    Organisation,
    Person,
    PublicationState,
    PublicDataVersion,
    Source,
)
from cases.services import record_detention, record_status_change

from .catalogues import compile_stale_catalogues
from .html_checks import nested_forms

_numbers = itertools.count(1)


def pytest_configure(config):
    compile_stale_catalogues()


_fuzz_tally: collections.Counter = collections.Counter()
_admin_pages_with_nested_forms: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _admin_pages_are_checked_for_nested_forms():
    """Every admin page served during the suite, to the test client or to the
    browser tests' live server, is parsed for a <form> inside another: see
    tests/html_checks.py. The test that asked for such a page fails."""
    get_response = BaseHandler.get_response

    def checked(handler, request):
        response = get_response(handler, request)
        if (
            request.path.startswith("/admin/")
            and response["Content-Type"].startswith("text/html")
            and not response.streaming
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            for problem in nested_forms(response.content.decode(response.charset)):
                _admin_pages_with_nested_forms.append(f"{request.path}: {problem}")
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseHandler, "get_response", checked)
        yield


@pytest.fixture(autouse=True)
def _no_nested_forms_in_the_admin():
    _admin_pages_with_nested_forms.clear()
    yield
    assert not _admin_pages_with_nested_forms, "A form inside a form:\n" + "\n".join(
        _admin_pages_with_nested_forms
    )


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """The test client's force_login stands for a whole login: for an account
    that must use a second factor (publishers, superusers), it also marks the
    session as verified by the user's authenticator (made if missing), as the
    login's second step does. Tests of the login itself (test_two_factor.py,
    the browser tests) go through its pages instead."""
    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        user = type(user).objects.get(pk=user.pk)  # its permissions as they are now
        if two_factor.is_required_for(user):
            device = two_factor.authenticator_of(user) or TOTPDevice.objects.create(
                user=user, name=two_factor.AUTHENTICATOR_NAME, confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(autouse=True)
def _plain_http_and_unhashed_static_files(settings):
    """The test client speaks plain HTTP and collectstatic has not run: tests of
    HTTPS and of hashed static files turn these back on themselves."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty cache: the database goes back to its first
    state after each test, so a version of the public data (cases.facets) comes
    round again, with other rows. Whole pages are not cached (tests change rows
    without the edits that raise the version); tests of that cache turn it on."""
    cache.clear()
    caches["template_fragments"].clear()
    settings.PUBLIC_PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _the_version_row_of_the_public_data_as_migrated(request):
    """Migration 0010 makes the one row of PublicDataVersion, which a site always
    has; a transactional test's flush deletes it, for the tests after it too.
    Without it every request draws a new token (nothing cached can be trusted on
    a flushed database), and a page cached before a test's first edit is
    unreachable after it instead of stale. Each test that uses the database
    starts with the row, as a migrated site does."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    elif "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    PublicDataVersion.objects.get_or_create(pk=1)


@pytest.fixture(autouse=True)
def _media_in_a_directory_of_the_test(settings, tmp_path):
    """Files stored during a test (photos, the made downloads of cases/export_files.py)
    go to a directory of its own: the database goes back to its first state
    after each test, and with it the version of the public data that names them."""
    settings.MEDIA_ROOT = tmp_path / "media"


def role_group(name: str) -> Group:
    """The Editor or Publisher group, with the permissions its migrations give it.

    Data migrations make the groups, and the flush that follows every
    transactional test deletes them: then they are made again the same way."""
    if not Group.objects.filter(name=name).exists():
        import_module("cases.migrations.0003_editor_and_publisher_groups").create_groups(apps, None)
        import_module("cases.migrations.0007_editors_may_take_pictures_down").grant(apps, None)
        import_module("cases.migrations.0025_editors_and_publishers_keep_the_new_facts").grant(
            apps, None
        )
    return Group.objects.get(name=name)


STAFF_PASSWORD = "a long pass phrase 2011"


def staff_member(username: str, group: str, password: str = STAFF_PASSWORD) -> User:
    """A staff account in the Editor or Publisher group, with a password to type."""
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(role_group(group))
    return user


@pytest.fixture
def fast_password_hasher(settings):
    """Logins through the form are many in these tests, and what they test is
    not the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(client, db):
    """An editor (the Editor group), logged in with the test client."""
    user = staff_member("editor", "Editor")
    client.force_login(user)
    return user


@pytest.fixture
def publisher(client, db):
    """A publisher (the Publisher group), logged in with the test client."""
    user = staff_member("publisher", "Publisher")
    client.force_login(user)
    return user


def cited() -> Source:
    """A source to cite in the status changes of a test: every entry cites one."""
    source, _ = Source.objects.get_or_create(
        url="https://news.example.org/a-report-cited-by-the-tests",
        defaults={"title": "A report cited by the tests", "publisher": "Example News"},
    )
    return source


@pytest.fixture
def fuzz_tally():
    """What the fuzz tests asked and how much of it failed, summed over the run
    and printed at its end (see pytest_terminal_summary)."""
    return _fuzz_tally


def pytest_terminal_summary(terminalreporter):
    if _fuzz_tally:
        terminalreporter.write_line(
            f"fuzz: {_fuzz_tally['requests']} requests, "
            f"{_fuzz_tally['server errors']} server errors (5xx)"
        )


def _unique(prefix: str) -> str:
    return f"{prefix}-{next(_numbers)}"


@pytest.fixture
def make_person(db):
    def make(name=None, **fields):
        name = name or _unique("Person")
        fields.setdefault("slug", _unique("person"))
        return Person.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_organisation(db):
    def make(name=None, **fields):
        name = name or _unique("Organisation")
        fields.setdefault("slug", _unique("organisation"))
        return Organisation.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_charge(db):
    def make(name=None, **fields):
        fields.setdefault("slug", _unique("charge"))
        fields.setdefault("country", "KZ")
        return Charge.objects.create(name=name or _unique("Charge"), **fields)

    return make


@pytest.fixture
def make_source(db):
    def make(title=None, **fields):
        fields.setdefault("url", f"https://news.example.org/{_unique('article')}")
        return Source.objects.create(title=title or _unique("Article"), **fields)

    return make


@pytest.fixture
def make_case(db):
    """A case; published unless told otherwise, with PEOPLE as accused."""

    def make(title=None, *, people=(), charges=(), published=True, **fields):
        fields.setdefault("slug", _unique("case"))
        fields.setdefault("country", "KZ")
        if published:
            fields.setdefault("publication_state", PublicationState.PUBLISHED)
            fields.setdefault("published_at", datetime.datetime(2011, 9, 20, tzinfo=datetime.UTC))
        case = Case.objects.create(title=title or _unique("Case"), **fields)
        for person in people:
            CaseParticipant.objects.create(case=case, person=person, role="accused")
        for charge in charges:
            CaseCharge.objects.create(case=case, charge=charge, state="filed")
        return case

    return make


@pytest.fixture
def samoupravstvo(make_charge):
    """The demo's charge: article 327 of Kazakhstan's Criminal Code, known to
    sources in English only by its Russian name."""
    return make_charge(
        "arbitrariness",
        slug="samoupravstvo",
        code="Criminal Code",
        article="327",
        name_original="самоуправство",
        name_transliterated="samoupravstvo",
        maximum_penalty="up to two years' imprisonment",
        description="Taking the law into one's own hands.",
    )


def record(case, status, date=datetime.date(2011, 9, 14), headline=None, **fields):
    """Record STATUS for every person in CASE (or for `participants`), citing a
    source; the headline says so unless given."""
    fields.setdefault("participants", case.participants.all())
    fields.setdefault("sources", [cited()])
    return record_status_change(
        case, status=status, date=date, headline=headline or f"Became {status}", **fields
    )


def html_of(response) -> str:
    return response.content.decode()


def form_data(response) -> dict:
    """What the admin's add or change form in RESPONSE posts when nothing is
    touched: each field and each inline's forms as shown, no file."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.FileField) or value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = "on" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = len(inline.formset.initial_forms)
        for form in inline.formset.initial_forms:
            add(form)
    return data


def detain(case, person, start, *, kind="pre_trial", **fields):
    """Record through the services that PERSON (a Person in CASE) was held from
    START (to `end`, at `place` ...), citing a source."""
    return record_detention(
        case.participants.get(person=person), kind=kind, start=start, sources=[cited()], **fields
    )


@pytest.fixture
def deploy(settings, tmp_path):
    """deploy(template, old, new): the site as a new release runs it, whose
    TEMPLATE (a name under templates/) says NEW where the running one says OLD;
    the same database and the same shared cache, a new process."""
    from cases import release

    def deployed(template: str, old: str, new: str) -> None:
        [engine] = settings.TEMPLATES
        [directory] = engine["DIRS"]
        copy = tmp_path / "release" / "templates"
        if directory != copy:
            shutil.copytree(directory, copy)
        path = copy / template
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))
        settings.TEMPLATES = [{**engine, "DIRS": [copy]}]
        release.current.cache_clear()  # read once per process: a new one

    yield deployed
    release.current.cache_clear()
