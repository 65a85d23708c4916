"""Verified in TAK: after an import, done orders are checked against what TAK really holds."""
import json

from extensions import db
from models import Order
from ordering import producer_order as po
from ordering.apply import apply_change_set
from ordering.verification import verify_done_orders

from .conftest import page_text
from .test_back_office import today
from .test_tak_import import _minimal_document
from .test_tak_json import sent_order


def done_order(catalog, url="https://ny.example.se/gbd"):
    entry = {**po.contract_entry(catalog["contract"]), "profile": "RIVTABP21", "url": url}
    order = sent_order(catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry],
        "add_addresses": [{"hsa_id": "SE2321000016-7P3K", "name": "VE: Ny", "new": True}]})
    apply_change_set(order, po.change_set(order), today())
    order.status = "done"
    db.session.commit()
    return order


def test_done_order_matching_the_catalog_is_verified(catalog):
    order = done_order(catalog)
    assert verify_done_orders(catalog["test"]) == (1, 0)
    assert order.verified and order.verification_differences == []


def test_reimport_without_the_ordered_rows_lists_what_differs(app, catalog, tmp_path, orderer_client, accounts):
    order = done_order(catalog)
    order.orderer = accounts["orderer"]
    db.session.commit()
    path = tmp_path / "takdump.json"
    path.write_text(json.dumps(_minimal_document()), encoding="utf-8")  # TAK lacks the 7P3K routing
    result = app.test_cli_runner().invoke(args=["tak", "import", str(path), "--environment", "NTJP TEST"])
    assert "Genomförda beställningar kontrollerade mot TAK: 0 verifierade, 1 avviker." in result.output
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert not order.verified
    assert any("Saknas i TAK: vägval urn:riv:crm:scheduling:GetBookingDetailsResponder:1 för SE2321000016-7P3K"
               in difference for difference in order.verification_differences)
    shown = page_text(orderer_client.get(f"/mina-bestallningar/{order.number}"))
    assert "Skiljer sig från TAK" in shown and "SE2321000016-7P3K" in shown
    assert "Avviker från TAK" in page_text(orderer_client.get("/mina-bestallningar/"))


def test_an_order_once_verified_is_not_checked_again(catalog):
    """Imports run nightly over years of orders: only the unverified and the differing are checked."""
    order = done_order(catalog)
    assert verify_done_orders(catalog["test"]) == (1, 0)
    first_check = order.verified_at
    assert verify_done_orders(catalog["test"]) == (0, 0)
    assert order.verified and order.verified_at == first_check
