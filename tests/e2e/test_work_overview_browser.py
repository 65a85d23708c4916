"""Customer service's start page in Chromium: every figure of Dagens arbete opens a list of as many."""
import re

from ..conftest import PASSWORD
from .conftest import log_in_with_password


def test_each_figure_opens_a_list_of_as_many_rows(app, page, live_server, accounts):
    app.config["DEMO_MODE"] = True
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "0.2"])
    assert result.exit_code == 0, result.output
    log_in_with_password(page, live_server, accounts["customer_service"].email, PASSWORD)
    figures = page.locator("#work-overview tbody tr")
    assert figures.count() == 6
    nonzero = 0
    for index in range(figures.count()):
        row = figures.nth(index)
        count = int(row.locator("td").inner_text())
        nonzero += count > 0
        row.locator("a").click()
        tab = page.locator(".nav-tabs .nav-link.active").inner_text()
        listed = re.search(r"\((\d+)\)", tab)
        assert (int(listed.group(1)) if listed else 0) == count, (row, tab)
        page.go_back()
    assert nonzero >= 3  # Skickad, Under handläggning, Avviker från TAK in the demo
    page.click("#oldest-waiting a")
    page.locator("h1", has_text="Beställning BS-").wait_for()
