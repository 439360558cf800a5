"""A publisher's first login with a second factor, in a real Chromium."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .conftest import EDITOR_PASSWORD


def code_from(secret, after_step=-1):
    """The code an authenticator app with SECRET shows now, or at the first
    time step after AFTER_STEP (a code is good once)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = max(time.time(), (after_step + 1) * totp.step)
    return f"{totp.token():06d}"


def log_in(page, url, username):
    page.goto(url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_publisher_enrols_at_first_login_then_logs_in_with_a_code_and_not_with_a_wrong_one(
    live_server, new_publisher, page, browser_problems
):
    log_in(page, live_server.url, "dana")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the secret")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret)

    page.get_by_label("Code").fill(code_from(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", name="Cases, people and sources")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "dana")
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    used = TOTPDevice.objects.get(user=new_publisher).last_t
    page.get_by_label("Code").fill(code_from(secret, after_step=used))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Cases, people and sources")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "dana")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errorlist")).to_contain_text("This code is not right")
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))

    assert browser_problems == []


def test_the_enrolment_and_code_pages_have_no_wcag_21_aa_violation_and_fit_320_px(
    live_server, new_publisher, new_page
):
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import WCAG_21_AA

    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True)
    log_in(page, live_server.url, "dana")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    TOTPDevice.objects.filter(user=new_publisher).update(confirmed=True)
    page.goto(live_server.url + "/admin/login/code/")
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
