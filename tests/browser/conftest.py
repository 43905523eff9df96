"""Real-browser fixtures: headless Debian Chromium driven by Playwright's sync API,
against the Flask app served by werkzeug in a background thread.

* `browser` (session): one Chromium for the whole suite. No skipping: without
  /usr/bin/chromium the suite fails and says why.
* `live` (per test): starts servers on a copy of the session's template database,
  seeds an exam with tests/factories first, and opens logged-in pages. It
  closes its browser contexts before it stops its servers.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from .live import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Live,
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test here is a browser test, marked or not: `-m "not browser"` (the PostgreSQL
    pass) never starts one by accident."""
    here = __file__.rsplit("/", 1)[0] + "/"
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
                    "(apt-get install chromium).", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def live(browser, template_db, tmp_path):
    live = Live(browser, template_db, tmp_path)
    yield live
    live.close()
