"""axe-core finds no WCAG 2.1 A or AA violation on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

# The rules of WCAG 2.0 and 2.1, levels A and AA.
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

PAGES = {
    "home page": "/",
    "case list": "/cases/",
    "case list with filters": "/cases/?country=KZ&charge=samoupravstvo&status=suspect",
    "case list with a filter that cannot be used": "/cases/?country=XX",
    "case page": "/cases/socialist-movement-kazakhstan-samoupravstvo/",
    "person page": "/people/kulzhan-sailybaeva/",
    "people list": "/people/",
    "people held now in a country": "/people/?country=KZ&held=now",
    "organisation page": "/organisations/socialist-movement-kazakhstan/",
    "charge page": "/charges/samoupravstvo/",
    "admin login page": "/admin/login/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_wcag_21_aa_violation(live_server, demo, page, path):
    page.goto(live_server.url + path)
    # axe is injected with page.evaluate, which the page's Content-Security-Policy
    # (script-src 'self') does not apply to: the page is checked as served.
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_every_page_reflows_to_320_px_wide_without_scrolling_sideways(live_server, demo, new_page):
    # WCAG 2.1 success criterion 1.4.10 (Reflow), which axe cannot check.
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True)
    too_wide = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
    assert too_wide == {}
