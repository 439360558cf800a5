"""Screenshots of the main pages at desktop and phone widths: `make screenshots`.

Serves the site with the demo data, from a throwaway SQLite database, on a
free loopback port, and saves a full-page PNG of each page at 1280 and 375 px
wide into screenshots/ (or the folder named as the first argument), so that
anyone can look at the site without running it.

Run with: python -m tests.browser.screenshots [FOLDER]
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from .chromium import CHROMIUM, DESKTOP, PHONE, launch

BASE_DIR = Path(__file__).resolve().parents[2]

PAGES = [
    ("home", "/"),
    ("cases", "/cases/"),
    ("cases-filtered", "/cases/?country=KZ&charge=samoupravstvo"),
    ("case", "/cases/socialist-movement-kazakhstan-samoupravstvo/"),
    ("person", "/people/kulzhan-sailybaeva/"),
    ("people", "/people/"),
    ("organisation", "/organisations/socialist-movement-kazakhstan/"),
    ("charge", "/charges/samoupravstvo/"),
    ("admin-login", "/admin/login/"),
]
# The reader's journey in Russian and Kazakh (the same pages under /ru/ and /kk/).
for _language in ("ru", "kk"):
    PAGES += [
        (f"{_language}-home", f"/{_language}/"),
        (f"{_language}-cases-filtered", f"/{_language}/cases/?country=KZ&charge=samoupravstvo"),
        (f"{_language}-case", f"/{_language}/cases/socialist-movement-kazakhstan-samoupravstvo/"),
    ]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(address: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The development server stopped (exit status {server.returncode}).")
        try:
            with urllib.request.urlopen(address + "/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"The development server did not answer at {address} within {seconds} s.")


def take(address: str, folder: Path) -> list[Path]:
    saved = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for label, viewport in WIDTHS.items():
            context = browser.new_context(viewport=viewport, reduced_motion="reduce")
            page = context.new_page()
            for number, (name, path) in enumerate(PAGES, start=1):
                page.goto(address + path, wait_until="networkidle")
                file = folder / f"{number:02}-{name}-{label}-{viewport['width']}px.png"
                page.screenshot(path=file, full_page=True)
                saved.append(file)
            context.close()
        browser.close()
    return saved


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else BASE_DIR / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as scratch:
        environment = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
            "MEDIA_ROOT": f"{scratch}/media",
        }
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        for command in (["migrate", "--noinput"], ["load_demo"]):
            done = subprocess.run(
                [*manage, *command], env=environment, cwd=BASE_DIR, capture_output=True, text=True
            )
            if done.returncode:
                sys.exit(f"manage.py {command[0]} failed:\n{done.stdout}{done.stderr}")
        port = free_port()
        address = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=environment,
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(address, server)
            saved = take(address, folder)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Saved {len(saved)} screenshots in {folder}/")


if __name__ == "__main__":
    main()
