"""Shared fixtures: small factories that make readable, valid rows."""

import datetime
import itertools

import pytest
from django.core.cache import cache

from cases.models import (
    Case,
    CaseCharge,
    CaseParticipant,
    Charge,
    Organisation,
    Person,
    PublicationState,
    Source,
)

_numbers = itertools.count(1)


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
    settings.PUBLIC_PAGE_CACHE = False


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
