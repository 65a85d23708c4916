"""The browser side, measured in Debian's Chromium: keystroke → updated suggestions, domain
chosen → first matrix rows, filter typed → rows redrawn. Times include the pages' own typing
pauses (80 ms for suggestions and for the matrix filter), as the user feels them."""
import os
import shutil
import time

from demo.national import BENCH_ORDERER, BENCH_PASSWORD

from .operations import Result

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ROUNDS = 20


def browser_results(base_url, scenario):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            # bypass_csp: Playwright evaluates its waiting conditions as strings, which our CSP forbids.
            page = browser.new_context(locale="sv-SE", bypass_csp=True).new_page()
            page.set_default_timeout(30000)
            page.goto(f"{base_url}/auth/")
            page.fill("#email", BENCH_ORDERER)
            page.fill("#password", BENCH_PASSWORD)
            page.click("button:has-text('Logga in')")
            page.locator("#user-menu").wait_for()
            return [_search(page, base_url, scenario), *_matrix(page, base_url, scenario)]
        finally:
            browser.close()


def _search(page, base_url, scenario):
    result = Result("Webbläsare: tangent → förslag på tjänstekontrakt", 250, note="inkl. 80 ms paus")
    page.goto(f"{base_url}/producent/{scenario.producer_draft}/kontrakt")
    box = page.locator("#contract_search")
    for digit in "123456789":  # Operation01 … Operation09
        box.fill("Operation")
        page.wait_for_function("document.querySelectorAll('#contract_list li').length > 1")
        started = time.perf_counter()
        box.press("0")
        box.press(digit)
        page.wait_for_function(
            f"[...document.querySelectorAll('#contract_list li')].every(li => li.textContent.includes('Operation0{digit}'))"
            " && document.querySelectorAll('#contract_list li').length >= 1")
        result.samples.append((time.perf_counter() - started) * 1000)
    return result


def _matrix(page, base_url, scenario):
    first_rows = Result("Webbläsare: domän vald → första matrisrader", 1000)
    filtering = Result("Webbläsare: matrisfilter, tangent → rader", 200, note="inkl. 80 ms paus")
    page.goto(f"{base_url}/konsument/{scenario.consumer_draft}/matris")
    options = page.locator("#domain_choice option").evaluate_all("options => options.map(o => o.value)")
    other = next(value for value in options if value and value != str(scenario.domain))
    for round_number in range(ROUNDS):
        page.select_option("#domain_choice", other)
        page.wait_for_function("!document.querySelector('#matrix tbody tr[data-hsa*=\"-E0\"]') || true")
        page.locator("#matrix-count").wait_for()
        previous = page.locator("#matrix-count").inner_text()
        started = time.perf_counter()
        page.select_option("#domain_choice", str(scenario.domain))
        page.wait_for_function(
            "(previous) => document.querySelector('#matrix-count').textContent !== previous"
            " && document.querySelector('#matrix tbody tr[data-hsa]')", arg=previous)
        first_rows.samples.append((time.perf_counter() - started) * 1000)
        page.wait_for_timeout(300)  # a user reads the matrix before typing a filter
        term = f"E0{round_number + 1:03d}"  # E00010–E00019 and so on: a handful of rows
        before = page.locator("#matrix-count").inner_text()
        started = time.perf_counter()
        page.fill("#address_filter", term)
        page.wait_for_function("(before) => document.querySelector('#matrix-count').textContent !== before",
                               arg=before)
        filtering.samples.append((time.perf_counter() - started) * 1000)
        page.fill("#address_filter", "")
    return [first_rows, filtering]
