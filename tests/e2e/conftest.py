"""A live server on 127.0.0.1 and Debian's Chromium driven by Playwright."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"



@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()  # the listening socket too: repeated runs must not use up the port range


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium saknas; .ci/run ska installera Debians chromium")
        pytest.skip("Chromium finns inte på den här maskinen")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20000)  # two test workers and Chromium share two cores: pages can be slow
    yield page
    context.close()


def log_in_with_password(page, live_server, email, password):
    page.goto(f"{live_server}/auth/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Logga in')")
    page.locator("#user-menu button:has-text('Logga ut')").wait_for()
    # The start page's style sheets and scripts too: a test that measures or uses the page right away
    # would otherwise, on a loaded machine, meet it unstyled (the menu stacked) or without its scripts.
    page.wait_for_load_state()


def open_menu(page, group, entry):
    """The navigation bar's group, then its entry – as a person does (once the page's scripts, which
    open the menus, have run: a click before that, on a busy machine, opens nothing)."""
    page.wait_for_load_state("load")
    page.click(f"#admin-navbar-collapse .dropdown-toggle:has-text('{group}')")
    page.click(f"#admin-navbar-collapse .dropdown-menu.show >> text={entry}")


@pytest.fixture
def officer_page(page, live_server, accounts):
    """A browser logged in as customer service."""
    from models import CUSTOMER_SERVICE

    from ..conftest import PASSWORD

    log_in_with_password(page, live_server, accounts[CUSTOMER_SERVICE].email, PASSWORD)
    return page
