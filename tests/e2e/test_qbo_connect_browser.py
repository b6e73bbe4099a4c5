"""A real browser clicks through the QuickBooks connect flow: our connect link -> Intuit's consent page (the
simulator's) -> our callback -> the page that says what happened. Debian's chromium, driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.stack import StackProcess
from tests.e2e.qbo_connect_steps import connect_link, connections, new_company, new_portal

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def test_a_person_connects_a_company_by_clicking_through(stack: StackProcess, page) -> None:
    portal = new_portal(stack)
    realm = new_company(stack, "Browser Bakery Ltd", "GB")

    page.goto(connect_link(stack, portal))
    assert page.url.startswith(f"{stack.qbo_url}/connect/oauth2")  # our link sent the browser to Intuit
    page.select_option("#realm_id", realm)
    page.click("#approve")
    page.wait_for_url(f"{stack.gateway_url}/oauth/qbo/callback*")

    assert page.title() == "QuickBooks company connected - HubBooks"
    assert page.get_attribute("main", "data-outcome") == "success"
    text = page.inner_text("main")
    assert "Browser Bakery Ltd is now connected to HubSpot." in text
    assert "Country GB, home currency GBP." in text
    assert [(c["realm_id"], c["status"]) for c in connections(stack, portal)] == [(realm, "connected")]


def test_a_person_who_declines_is_told_nothing_was_connected(stack: StackProcess, page) -> None:
    portal = new_portal(stack)
    new_company(stack, "Declined Deli Inc", "US")

    page.goto(connect_link(stack, portal))
    page.click("#deny")
    page.wait_for_url(f"{stack.gateway_url}/oauth/qbo/callback*")

    assert page.get_attribute("main", "data-outcome") == "info"
    assert page.inner_text("h1") == "QuickBooks was not connected"
    assert "You chose not to give HubBooks access in QuickBooks" in page.inner_text("main")
    assert connections(stack, portal) == []


def test_reopening_a_used_link_explains_it_works_once(stack: StackProcess, page) -> None:
    portal = new_portal(stack)
    link = connect_link(stack, portal)
    page.goto(link)
    page.goto(link)
    assert page.inner_text("h1") == "This connect link was already used"
    assert page.get_attribute("main", "data-outcome") == "error"
