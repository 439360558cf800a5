"""Browser tests: the site served by Django's live test server, driven in
Debian's Chromium through Playwright's sync API.

Skipped, with the reason shown in the test summary, where /usr/bin/chromium
is missing: CI installs it (.ci/run), and `make test` says when it skipped them.
"""

import os
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from .chromium import CHROMIUM, DESKTOP, NOT_FOUND, launch


@pytest.fixture(scope="session", autouse=True)
def _chromium_is_installed():
    """Skips every test of this folder when Chromium is missing: pytest's
    summary (-rs in pyproject.toml) lists each with the reason."""
    if not CHROMIUM.exists():
        pytest.skip(NOT_FOUND)


@pytest.fixture(scope="package")
def browser():
    """Chromium, for the tests of this folder.

    While Playwright's sync API runs, so does an asyncio event loop in this
    thread, and Django refuses ORM calls from it ("You cannot call this from
    an async context"). These tests are synchronous: allow the calls, for the
    tests of this folder only."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started without the redirect to HTTPS.

    Django's SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the
    server's thread builds its middleware: tests/conftest.py turns it off for
    each test, which is too late for a server that lives for the whole session.
    The live server speaks plain HTTP; test_security.py tests the redirect.
    The cookies keep their production settings (Secure, __Host- names):
    Chromium takes http://localhost for a secure context."""
    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


EDITOR_PASSWORD = "a long pass phrase 2011"


def _group(name, codenames):
    """The group that migration 0003 makes, made again when the flush that
    follows every transactional test has deleted it."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)
        )
    return group


def _groups_migration():
    return import_module("cases.migrations.0003_editor_and_publisher_groups")


@pytest.fixture
def editor(transactional_db):
    """Amina, an editor: staff, in the Editor group, with a password to type."""
    user = User.objects.create_user("amina", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(_group("Editor", _groups_migration().EDITOR))
    return user


@pytest.fixture
def publisher(transactional_db):
    """Dana, a publisher who has never logged in: she must set up a second factor."""
    user = User.objects.create_user("dana", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(_group("Publisher", _groups_migration().PUBLISHER))
    return user


class BrowserProblems(list):
    """What a page reported to its console: errors, refused resources, CSP
    violations and uncaught exceptions. Listens to every page of a context."""

    # Chromium reports a Content-Security-Policy violation as a console error;
    # this script reports those the page's own event sees as well.
    REPORT_CSP_VIOLATIONS = """
        document.addEventListener("securitypolicyviolation", (event) => {
            console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
        });
    """

    def watch(self, context):
        context.add_init_script(self.REPORT_CSP_VIOLATIONS)
        context.on("page", self._watch_page)
        return context

    def _watch_page(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.append(f"{page.url}: uncaught {error}"))

    def _on_console(self, message):
        if message.type in ("error", "warning"):
            self.append(f"{message.location.get('url', '')}: {message.type}: {message.text}")


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def new_page(browser, browser_problems):
    """Open a page in a fresh context (cookies of its own) at the given viewport."""
    contexts = []

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        context.set_default_timeout(10_000)
        contexts.append(browser_problems.watch(context))
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
