"""Customer service's start page: the day's work in figures, each a link to the list it counts."""
import html
import re

import pytest
import sqlalchemy as sa

from extensions import db
from models import InstanceChangeRequest, Order, OutboundEmail

from .conftest import page_text

FIGURE = re.compile(r'<tr id="figure-([\w-]+)"[^>]*>\s*<th scope="row"><a href="([^"]+)">[^<]+</a></th>\s*'
                    r'<td class="text-right">(\d+)</td>')
LIST_COUNT = re.compile(r'class="nav-link active">Lista(?: \((\d+)\))?</a>')


def overview(officer_client):
    page = officer_client.get("/admin/").get_data(as_text=True)
    return {name: (html.unescape(link), int(count)) for name, link, count in FIGURE.findall(page)}


def listed(officer_client, link):
    match = LIST_COUNT.search(officer_client.get(link).get_data(as_text=True))
    assert match, link
    return int(match.group(1) or 0)


@pytest.fixture
def demo_back_office(app, officer_client):
    app.config["DEMO_MODE"] = True
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "0.02"])  # the figures, not the size
    assert result.exit_code == 0, result.output
    # One failing mail and one waiting change request, so every figure has something to count.
    mail = db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).first()
    mail.attempts, mail.last_error = 2, "ConnectionRefusedError"
    mail.status = "pending"
    db.session.commit()
    return officer_client


def test_every_figure_links_to_a_list_of_as_many(demo_back_office):
    figures = overview(demo_back_office)
    assert set(figures) == {"submitted", "in-progress", "unchecked", "deviating", "failing-mails",
                            "change-requests"}
    assert figures["submitted"][1] == 1 and figures["in-progress"][1] == 1 and figures["deviating"][1] == 1
    assert figures["failing-mails"][1] == 1
    for name, (link, count) in figures.items():
        assert listed(demo_back_office, link) == count, name


def test_the_oldest_waiting_order_is_one_click_away(demo_back_office):
    oldest = db.session.scalar(sa.select(Order).where(Order.status.in_(["submitted", "in_progress"]))
                               .order_by(Order.submitted_at, Order.id).limit(1))
    page = demo_back_office.get("/admin/").get_data(as_text=True)
    assert f'<a href="/kundservice/bestallning/{oldest.number}">{oldest.display_number}</a>' in page
    assert "har väntat" in page_text(demo_back_office.get("/admin/"))
    assert "Senaste TAK-import:" in page_text(demo_back_office.get("/admin/"))


def test_an_orderer_sees_no_work_overview(app, orderer_client, demo_back_office):
    assert "Dagens arbete" not in page_text(orderer_client.get("/admin/"))
    assert "Dagens arbete" in page_text(demo_back_office.get("/admin/"))


def test_nothing_waiting_says_so(officer_client, catalog):
    assert "Inga beställningar väntar." in page_text(officer_client.get("/admin/"))
    assert {count for _, count in overview(officer_client).values()} == {0}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InstanceChangeRequest)) == 0
