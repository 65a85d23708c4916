"""An order's life outside the flows: creating drafts, saving steps, sending, withdrawing,
and the orderer's list. Shared by the producer and the consumer order."""
import re

import sqlalchemy as sa
from sqlalchemy.orm import defer, selectinload

from clock import utc_now
from extensions import db
from models import Order, OrderStatusChange, SystemInstance
from models.order_content import OrderContent
from models.orders import (
    CANCELLED,
    CONSUMER,
    DONE,
    DRAFT,
    IN_PROGRESS,
    PRODUCER,
    STATUS_LABELS,
    SUBMITTED,
    search_words,
)

COPYABLE = (PRODUCER, CONSUMER)  # orders whose change set is judged against the catalog they are sent to


def _record(order, from_status, to_status, user, comment=None):
    order.history.append(OrderStatusChange(from_status=from_status, to_status=to_status, user_id=user.id,
                                           user_name=str(user), comment=comment))


def create_draft(kind, user, **fields):
    """A new draft with its number (BS-<n>) at once, so it can be reopened by number."""
    order = Order(kind=kind, status=DRAFT, orderer_id=user.id, content=OrderContent().stored(), **fields)
    db.session.add(order)
    db.session.flush()
    order.number = order.id
    _record(order, None, DRAFT, user)
    db.session.commit()
    return order


def save_draft(order, step=None, content=None, **fields):
    if order.status != DRAFT:
        raise ValueError("Bara utkast kan ändras.")
    if content is not None:  # parts of OrderContent by name: a misspelt part is a TypeError
        order.content = order.choices.updated(**content).stored()
    for name, value in fields.items():
        setattr(order, name, value)
    if step:
        order.step = step
    db.session.commit()


def start_choices_over(order):
    """Contracts, addressees, consumers and matrix cells belong to one environment and system:
    when either changes they go; how the orderer works (adding or removing, consumers here or
    separately) stays."""
    choices = order.choices
    save_draft(order, content=OrderContent(mode=choices.mode, consumer_choice=choices.consumer_choice).stored())


def live_header(order):
    """The order's environment and system as the catalog has them now."""
    instance, environment = order.system_instance, order.environment
    return {
        "environment": environment.display if environment else "–",
        "plattform": environment.tak_code if environment else "",
        "hsa_id": instance.hsa_id if instance else "–",
        "description": instance.description if instance else "",
        "system": (instance.system.name if instance and instance.system else
                   instance.description if instance else "–"),
        "label": str(instance) if instance else "–",
        "organisation": instance.organisation.name if instance and instance.organisation else "–",
    }


def header_of(order):
    """Environment and system: as they were at Beställ once sent (the catalog may change since),
    as they are now while a draft."""
    return order.sent_header or live_header(order)


def submit(order, user, orderer, on_submit=None):
    """Draft → Skickad, exactly once: a double click or a resent form finds it already sent.

    orderer: {"name", "email", "phone", "role"} as confirmed on the order. on_submit(order) runs
    in the same transaction (it queues the mails), so the order is never sent without them.
    Returns True when this call sent it.
    """
    now = utc_now()
    result = db.session.execute(
        sa.update(Order).where(Order.id == order.id, Order.status == DRAFT)
        .values(status=SUBMITTED, submitted_at=now, orderer_name=orderer["name"], orderer_email=orderer["email"],
                orderer_phone=orderer["phone"], orderer_role=orderer.get("role") or "", updated_at=now,
                version=Order.version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        return False
    db.session.add(OrderStatusChange(order_id=order.id, from_status=DRAFT, to_status=SUBMITTED, user_id=user.id,
                                     user_name=str(user)))
    db.session.refresh(order)
    order.sent_header = live_header(order)
    if on_submit is not None:
        on_submit(order)
    order.search_text = search_words(order.choices, order.sent_header["hsa_id"])
    db.session.commit()
    return True


def withdraw(order, user):
    """A sent order not yet handled, or a draft, becomes Återkallad."""
    if order.status not in (DRAFT, SUBMITTED):
        return False
    _record(order, order.status, CANCELLED, user)
    order.status = CANCELLED
    db.session.commit()
    return True


def delete_draft(order):
    if order.status != DRAFT:
        return False
    db.session.delete(order)
    db.session.commit()
    return True


ORDERS_PER_PAGE = 100


def orders_of(user, page=1, per_page=ORDERS_PER_PAGE):
    """One page of the orderer's orders, newest first, and how many they have in all."""
    mine = Order.orderer_id == user.id
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Order).where(mine))
    # The list shows each order's environment and system: load them with the orders, not one by one.
    query = (sa.select(Order).where(mine)
             .options(selectinload(Order.environment),
                      # a draft's system is named as the catalog has it: with its organisation and system
                      selectinload(Order.system_instance).selectinload(SystemInstance.organisation),
                      selectinload(Order.system_instance).selectinload(SystemInstance.system),
                      defer(Order.content))  # a sent order's content holds its frozen facts: not for a list
             .order_by(Order.created_at.desc(), Order.id.desc())
             .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return db.session.scalars(query).all(), total


# Nine digits at most: an order number always fits the database's INTEGER.
ORDER_NUMBER = re.compile(r"\s*(?:BS-?)?(\d{1,9})\s*", flags=re.I)


def parse_number(text):
    """'BS-12', 'bs12' or '12' -> 12; anything else -> None."""
    match = ORDER_NUMBER.fullmatch(text or "")
    return int(match.group(1)) if match else None


def own_order(number, user):
    """The user's own order with this number, or None (someone else's is not found either)."""
    return db.session.scalar(sa.select(Order).where(Order.number == number, Order.orderer_id == user.id))


def header_problems(order, role):
    """What step 1 of either flow must have: environment, and the instance (role: "tjänsteproducent"
    or "tjänstekonsument") connected to it."""
    problems = []
    if order.environment is None:
        problems.append("Välj miljö.")
    if order.system_instance is None:
        problems.append(f"Ange {role}.")
    elif order.environment is not None and order.environment not in order.system_instance.environments:
        problems.append(f"{role.capitalize()}n är inte ansluten till {order.environment.display}.")
    return problems


# --- Customer service's handling ------------------------------------------------------------

class TransitionError(ValueError):
    """The order cannot move that way; the message is shown to customer service."""


def change_status(order, to_status, user, allowed_from, comment=None, on_change=None):
    """Move a sent order on (Under handläggning, Genomförd, Avvisad), recorded with who and when;
    `allowed_from`: the statuses it may come from (`lifecycle.TRANSITIONS`, the one table).

    on_change(order) runs in the same transaction: applying to the catalog, queuing a mail.
    """
    if order.status not in allowed_from:
        raise TransitionError(f"En beställning med status {order.status_label} kan inte bli "
                              f"{STATUS_LABELS.get(to_status, to_status)}.")
    _record(order, order.status, to_status, user, comment)
    order.status = to_status
    if on_change is not None:
        try:
            on_change(order)
        except Exception:
            db.session.rollback()  # the status, its history and any half-applied change go together
            raise
    db.session.commit()


def record_case_number(order, case_number, user, on_change=None):
    case_number = (case_number or "").strip()
    if not case_number:
        raise TransitionError("Ange ärendenummer.")
    if len(case_number) > Order.case_number.type.length:
        raise TransitionError(f"Ärendenumret får vara högst {Order.case_number.type.length} tecken.")
    if order.status not in (SUBMITTED, IN_PROGRESS, DONE):
        raise TransitionError(f"En beställning med status {order.status_label} får inget ärendenummer.")
    order.case_number = case_number
    _record(order, order.status, order.status, user, f"Ärendenummer {order.case_number}")
    if on_change is not None:
        on_change(order)
    db.session.commit()


def copy_to_environment(order, environment, user, keep_contract):
    """Beställ samma i annan miljö: a new draft with the same choices for another environment
    (typically QA tested, now PROD). keep_contract(entry) says whether a contract is installed
    there; the draft is then judged against that environment's catalog like any other. An order
    whose change set was made once and kept (återställning, städning) names rows of its own
    environment: it is not copied."""
    choices = order.choices
    if choices.stored_changes is not None or order.kind not in COPYABLE:
        raise TransitionError(f"En {order.kind_label.lower()} gäller raderna i {order.environment.display} och kan "
                              "inte beställas i en annan miljö. Gör en ny beställning där.")
    kept = [entry for entry in choices.contracts if keep_contract(entry)]
    dropped = [entry for entry in choices.contracts if entry not in kept]
    content = choices.updated(contracts=kept, facts=None).stored()
    copy = create_draft(order.kind, user, environment_id=environment.id, system_instance_id=order.system_instance_id,
                        change_date=None, step="sammanfattning")
    save_draft(copy, content=content, other_info=order.other_info, orderer_name=user.name or "",
               orderer_email=user.email or "", orderer_phone=user.phone or "")
    return copy, dropped
