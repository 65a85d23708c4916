"""Keyboard only (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.7): a producer order and a consumer order from the
first step to Beställ without a mouse – Tab, arrows, Enter and Space – with a visible focus at every
stop, the skip link first, and no trap (every target is reached within a bounded number of Tabs)."""
import sqlalchemy as sa

from demo.generator import generate_demo
from extensions import db
from models import Order

from ..conftest import PASSWORD
from .conftest import log_in_with_password
from .test_accessibility import violations
from .test_producer_order_browser import NEW_ADDRESS, demo_in_qa

MAX_TABS = 250

FOCUS_IS_VISIBLE = """() => {
  const ring = style => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  const el = document.activeElement, style = getComputedStyle(el);
  if (style.opacity === '0') {  // a hidden custom radio or checkbox: its drawn box shows the focus
    const label = el.id && document.querySelector(`label[for="${el.id}"]`);
    return Boolean(label) && ring(getComputedStyle(label, '::before'));
  }
  return ring(style);
}"""


def describe_focus(page):
    return page.evaluate("() => { const e = document.activeElement; "
                         "return e.tagName + '#' + e.id + ' ' + (e.textContent || e.value || '').trim().slice(0, 40); }")


def tab_to(page, predicate):
    """Press Tab until the focused element satisfies the JS predicate (el => bool); every stop on
    the way must show its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate})(document.activeElement)"):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"ingen synlig fokus på {describe_focus(page)}"
            return
        if page.evaluate("() => document.activeElement !== document.body"):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"ingen synlig fokus på {describe_focus(page)}"
    raise AssertionError(f"nåddes inte med Tab: {predicate}")


def button(text):
    return f"el => el.tagName === 'BUTTON' && el.textContent.includes({text!r})"


def field(element_id):
    return f"el => el.id === {element_id!r}"


def choose_option(page, element_id, label):
    tab_to(page, field(element_id))
    for _ in range(30):
        if page.evaluate(f"() => {{ const s = document.getElementById({element_id!r}); "
                         f"return s.options[s.selectedIndex].text; }}") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} finns inte i {element_id}")


def search_and_choose(page, name, text, expected):
    tab_to(page, field(f"{name}_search"))
    page.keyboard.type(text, delay=30)
    page.locator(f"#{name}_list li", has_text=expected).first.wait_for()
    assert "förslag" in page.locator(f"#{name}_search ~ [role=status]").inner_text()  # announced
    for _ in range(20):
        if expected in (page.locator(f"#{name}_list li.active").inner_text() or ""):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def press_button(page, text, then):
    tab_to(page, button(text))
    page.keyboard.press("Enter")
    page.locator(then).first.wait_for()


def start_with_skip_link(page, url):
    page.goto(url)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Hoppa till innehållet"
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "innehall"


def test_producer_order_by_keyboard_only(page, live_server, accounts):
    _, _, contract, _ = demo_in_qa()
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_with_skip_link(page, f"{live_server}/producent/")

    choose_option(page, "environment_id", "NTJP QA")
    search_and_choose(page, "producer", "5aw7", "Region Blekinge -- Melior")
    press_button(page, "Nästa", "text=Välj tjänstekontrakt som omfattas")

    search_and_choose(page, "contract", "Getb", "GetBookingDetails v1")
    page.locator("#chosen-contracts", has_text="GetBookingDetails").wait_for()
    press_button(page, "Nästa", "text=Logiska adressater för beställning")

    tab_to(page, field("new_hsa_id"))
    page.keyboard.type(NEW_ADDRESS)
    tab_to(page, field("new_name"))
    page.keyboard.type("VE: Tangentbordsmottagningen")
    press_button(page, "Lägg till", f"#chosen-addresses >> text={NEW_ADDRESS}")
    press_button(page, "Nästa", "text=Ange RIVTA-profil och URL för valda kontrakt")

    tab_to(page, field(f"url_{contract.id}"))
    page.keyboard.press("Control+A")
    page.keyboard.type("https://melior.blekinge.example/tangentbord")
    choose_option(page, f"profile_{contract.id}", "RIVTABP21")
    press_button(page, "Nästa", "#choice_separate")
    press_button(page, "Nästa", "#orderer_email")
    press_button(page, "Se sammanfattning", ".order-summary")
    press_button(page, "Beställ", "#sent-confirmation")

    order = db.session.scalars(sa.select(Order)).one()
    assert order.status == "submitted"
    assert [a["hsa_id"] for a in order.choices.add_addresses] == [NEW_ADDRESS]
    assert order.choices.contracts[0]["url"] == "https://melior.blekinge.example/tangentbord"


def test_consumer_matrix_by_keyboard_only(page, live_server, accounts):
    generate_demo(scale=0.2, large_domain=True)
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_with_skip_link(page, f"{live_server}/konsument/")

    choose_option(page, "environment_id", "NTJP QA")
    search_and_choose(page, "producer", "lkon", "-LKON")
    press_button(page, "Nästa", "text=Installerade tjänstekontrakt med anslutning till producent/er visas nedan")

    choose_option(page, "domain_choice", "[demo:largedomain] Stor testdomän")
    page.locator("#matrix tbody tr[data-hsa]").first.wait_for()
    tab_to(page, field("address_filter"))
    page.keyboard.type("Vårdenhet 0001")
    page.locator("#matrix-count", has_text="10 av 5000 adressater").wait_for()
    assert not violations(page), violations(page)  # the matrix itself, drawn, passes axe

    # Välj alla for the first column, by Enter (the column heads come before the cells).
    tab_to(page, "el => el.tagName === 'BUTTON' && el.textContent === 'Välj alla'")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("Välj alla visade")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        page.keyboard.press("Enter")

    # A cell: reached by Tab, toggled with Space; its name says contract and addressee.
    tab_to(page, "el => el.type === 'checkbox' && !el.disabled && !el.checked && el.closest('#matrix')")
    name = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert "Vårdenhet 0001" in name and " – " in name
    cell = page.evaluate("() => document.activeElement.dataset.cell")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        page.keyboard.press("Space")
    contract_id, hsa_id = cell.split("|")
    recorded = page.evaluate("() => JSON.parse(document.getElementById('matrix-changes').value)")
    assert [int(contract_id), hsa_id.lower(), True, False] in recorded  # the cell toggled, not another row's
    assert page.evaluate("() => document.activeElement.checked")

    press_button(page, "Nästa", "#orderer_email")
    press_button(page, "Se sammanfattning", ".order-summary")
    press_button(page, "Beställ", "#sent-confirmation")
    order = db.session.scalars(sa.select(Order)).one()
    assert order.status == "submitted" and len(order.choices.cells["add"]) >= 1
