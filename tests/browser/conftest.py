"""Browser tests: Playwright driving Debian's Chromium against Django's live test server."""
import os
import shutil
from pathlib import Path

import pytest

from tests.support import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "screenshots"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"]

# Playwright's sync API keeps an event loop on the test's thread; the ORM calls the tests make
# between browser steps are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    missing = [what for what, ok in (("Chromium at " + CHROMIUM, Path(CHROMIUM).exists()),
                                     ("axe-core (npm ci)", AXE.exists())) if not ok]
    if not missing:
        return
    marker = pytest.mark.skip(reason="BROWSER TESTS SKIPPED: missing " + ", ".join(missing))
    for item in items:
        if "browser" in item.nodeid.split("/"):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) on the live server; close them all after."""
    contexts = []

    def open_page(width=1280):
        # bypass_csp: axe-core is injected as an inline script, which the site's CSP rightly refuses.
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-CA",
                                      base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def check_page(screenshot_dir):
    """Screenshot a page and run axe-core on it: WCAG 2.1 A and AA (with `wcag22=True`, 2.2 AA too), zero
    violations."""

    def check(page, name, *, wcag22=False):
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] + (["wcag22a", "wcag22aa"] if wcag22 else [])
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result["violations"]
        ]
        assert violations == [], f"{name}: " + "\n".join(violations)

    return check


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Screenshots of the pages: {SCREENSHOTS}")
