"""Debian's Chromium, as the browser tests and `make screenshots` launch it.

Playwright never downloads a browser of its own here: it drives the system
Chromium (Debian's `chromium` package). The network is closed, so Chromium
is told not to reach out by itself (updates, sync, safe browsing).
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

NOT_FOUND = (
    f"Chromium not found at {CHROMIUM}: browser tests skipped; install Debian's chromium package"
)

ARGUMENTS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


def launch(playwright):
    """A headless Chromium from the system package."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGUMENTS)
