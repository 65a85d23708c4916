"""Registers are read all day: at 1366 × 768 a list shows at least 15 rows, long values on one
line with the full text on hover, and the page never scrolls sideways."""
import datetime as dt

import pytest

from clock import swedish_today
from extensions import db
from models import LogicalAddress, ProducerConnection

LONG_URL = "https://integration.regionstockholm.example.se/vard/tjanster/bokning/{:03d}/GetBookingDetails/v1/rivtabp21"
LONG_NAME = "VG: Region Stockholm, Akutmottagningen vid Södersjukhuset, avdelning {:03d} för planerad vård"


@pytest.fixture
def many_connections(catalog):
    today = swedish_today()
    for number in range(40):
        address = LogicalAddress(hsa_id=f"SE2321000016-9{number:03d}", name=LONG_NAME.format(number))
        db.session.add(ProducerConnection(
            environment=catalog["test"], producer=catalog["producer"], contract=catalog["contract"],
            logical_address=address, rivta_profile=catalog["profile"], url=LONG_URL.format(number),
            valid_from=today - dt.timedelta(days=1), valid_to=today + dt.timedelta(days=365)))
    db.session.commit()


@pytest.mark.parametrize("register", ["producerconnection", "logicaladdress", "callauthorization",
                                      "systeminstance", "servicecontract"])
def test_a_register_shows_15_rows_at_1366_by_768(officer_page, live_server, many_connections, register):
    page = officer_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/admin/{register}/")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 1366  # no sideways page scroll
    if register not in ("producerconnection", "logicaladdress"):
        return  # the others hold one or two rows in this catalogue: the width is what is checked
    visible = page.evaluate("""() => Array.from(document.querySelectorAll('table.model-list tbody tr'))
        .filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length""")
    assert visible >= 15


def test_a_shortened_value_has_its_full_text_on_hover(officer_page, live_server, many_connections):
    page = officer_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/admin/producerconnection/")
    cell = page.locator("table.model-list td.col-url", has_text="/007/").first
    assert cell.get_attribute("title") == LONG_URL.format(7)
    box = cell.bounding_box()
    assert box["height"] < 40  # one line, not four
