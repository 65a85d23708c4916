"""Sent orders for the demo back office: one in each status customer service meets – Skickad, Under
handläggning, Genomförd and verified in TAK, Genomförd but deviating from TAK, Avvisad with a reason,
Återkallad – made through the order lifecycle itself, so their history, their mails in the outbox and
the catalog are what real orders leave behind."""
import sqlalchemy as sa

from extensions import db
from models import ProducerConnection, RivtaProfile, ServiceContract
from models.catalog import environment_named
from models.order_content import OrderContent
from models.orders import PRODUCER
from ordering import lifecycle, orders
from ordering.order_flow import contract_entry
from ordering.verification import verify_done_orders

DEMO_ENVIRONMENT = "NTJP QA"


def _draft(orderer, environment, producer_id, contract, profile, number):
    order = orders.create_draft(PRODUCER, orderer, environment_id=environment.id, system_instance_id=producer_id,
                                step="sammanfattning")
    entry = {**contract_entry(contract), "profile": profile, "url": f"https://demo.example/{contract.name}/{number}"}
    address = {"hsa_id": f"SE2321000016-DEMO{number}", "name": f"VE: Demomottagning {number}", "new": True}
    orders.save_draft(order, content=OrderContent(contracts=[entry], add_addresses=[address]).stored(),
                      orderer_name=orderer.name, orderer_email=orderer.email, orderer_phone="010-123 45 67",
                      other_info=f"Demobeställning {number}")
    return order


def create_demo_orders(orderer, officer, links):
    """links(endpoint, number) → the absolute link a mail carries. Returns the orders by status label."""
    environment = environment_named(DEMO_ENVIRONMENT)
    producer_id, contract_id, profile_name = db.session.execute(
        sa.select(ProducerConnection.producer_id, ProducerConnection.contract_id, RivtaProfile.name)
        .join(RivtaProfile, ProducerConnection.rivta_profile_id == RivtaProfile.id)
        .where(ProducerConnection.environment_id == environment.id).order_by(ProducerConnection.id).limit(1)).one()
    contract = db.session.get(ServiceContract, contract_id)
    made = {}

    def sent(number):
        order = _draft(orderer, environment, producer_id, contract, profile_name, number)
        lifecycle.submit(order, orderer, links("orders.details", order.number), links("casework.page", order.number))
        return order

    made["Skickad"] = sent(1)
    handled = made["Under handläggning"] = sent(2)
    lifecycle.start_handling(handled, officer)
    lifecycle.record_case_number(handled, "INC0001002", officer, links("orders.details", handled.number))

    verified = made["Genomförd, verifierad i TAK"] = sent(3)
    lifecycle.start_handling(verified, officer)
    lifecycle.mark_done(verified, officer, "Införd i TAK", links("orders.details", verified.number))
    verify_done_orders(environment)  # TAK's next export holds what was ordered

    deviating = made["Genomförd, avviker från TAK"] = sent(4)
    lifecycle.start_handling(deviating, officer)
    lifecycle.mark_done(deviating, officer, "Införd i TAK", links("orders.details", deviating.number))
    # As if TAK's next export lacked the new connection: the check after the import flags the order.
    db.session.execute(sa.delete(ProducerConnection).where(
        ProducerConnection.environment_id == environment.id,
        ProducerConnection.url == deviating.choices.contracts[0]["url"]))
    verify_done_orders(environment)

    rejected = made["Avvisad"] = sent(5)
    lifecycle.reject(rejected, officer, "Tjänstekontraktet är inte installerat hos producenten ännu.",
                     links("orders.details", rejected.number))
    withdrawn = made["Återkallad"] = sent(6)
    lifecycle.withdraw(withdrawn, orderer)
    db.session.commit()
    return made
