"""Browser tests: the site served by Django's live test server, driven in
Debian's Chromium through Playwright's sync API.

Skipped, with the reason shown in the test summary, where /usr/bin/chromium
is missing: CI installs it (.ci/run), and `make test` says when it skipped them.
"""

import os
import time
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
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

# The permissions that the data migrations give each group: 0003 made the
# groups, 0005 gave them the pictures, 0007 let editors take a picture down,
# 0025 gave them the facts of issue 15.
GROUP_MIGRATIONS = {
    "0003_editor_and_publisher_groups": lambda migration, name: migration.GROUPS[name],
    "0005_pictures": lambda migration, name: migration.GROUPS[name],
    "0007_editors_may_take_pictures_down": lambda migration, name: (
        ["delete_picture"] if name == "Editor" else []
    ),
    "0025_editors_and_publishers_keep_the_new_facts": lambda migration, name: migration.GROUPS[
        name
    ],
}


def role(name):
    """The group NAME ("Editor" or "Publisher") as the migrations leave it.

    The groups are made by data migrations, and the flush that follows every
    transactional test deletes them; when one is gone, make it again with the
    permissions those migrations give it."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        codenames = set()
        for module, granted in GROUP_MIGRATIONS.items():
            codenames.update(granted(import_module(f"cases.migrations.{module}"), name))
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)
        )
    return group


@pytest.fixture
def staff(transactional_db, settings):
    """make(username, role): a staff member in that group, with EDITOR_PASSWORD
    to type into the login form. The password is hashed with a fast hasher:
    these tests log in through the form many times, and what they test is
    not the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def make(username, group):
        user = User.objects.create_user(username, password=EDITOR_PASSWORD, is_staff=True)
        user.groups.add(role(group))
        return user

    return make


@pytest.fixture
def editor(staff):
    """Amina, an editor: adds and changes everything, publishes and deletes nothing."""
    return staff("amina", "Editor")


@pytest.fixture
def other_editor(staff):
    """Boris, another editor, who works on the same cases as Amina."""
    return staff("boris", "Editor")


@pytest.fixture
def publisher(staff):
    """Pavel, a publisher: also publishes, withdraws and deletes drafts. He has
    set up his second factor; log_in() types its code (second_factor_code()).
    Its drift tolerance is wide, so that a test may log him in several times
    within one 30-second step of the authenticator."""
    user = staff("pavel", "Publisher")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True, tolerance=20)
    return user


@pytest.fixture
def new_publisher(transactional_db):
    """Dana, a publisher who has never logged in: she must set up a second factor."""
    user = User.objects.create_user("dana", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(role("Publisher"))
    return user


def second_factor_code(user) -> str | None:
    """The code USER's authenticator shows next, or None without one. A code
    is good once: after one was accepted, this gives the next time step's."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = max(time.time(), (device.last_t + 1) * device.step)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def page_cache(settings):
    """The public page cache, on as deployed (tests/conftest.py turns it off).
    The live server runs in this process, so it reads these settings."""
    settings.PUBLIC_PAGE_CACHE = True


@pytest.fixture
def served_media(settings, tmp_path, live_server):
    """Uploads stored under a folder of the test's own, and served to the
    browser from there: the live server does not serve MEDIA_URL (in
    production the web server or the object store does).

    Returns serve(context), which makes one browser context fetch /media/ so."""
    settings.MEDIA_ROOT = media_root = tmp_path / "media"
    prefix = f"{live_server.url}/{settings.MEDIA_URL.strip('/')}/"

    def fulfil(route):
        file = media_root / route.request.url.removeprefix(prefix).partition("?")[0]
        if file.is_file() and file.resolve().is_relative_to(media_root.resolve()):
            route.fulfill(path=file)
        else:
            route.fulfill(status=404)

    def serve(context):
        context.route(prefix + "**", fulfil)
        return context

    return serve


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
