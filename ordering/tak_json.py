"""The order as TAK's import reads it (architecture §4; real orders in ../shared/reference/tak/orders)."""
import json

from clock import start_of_swedish_day, tak_time, utc_now
from models.tak_items import order_document

from .orders import header_of


def execution_time(order):
    """genomforandeTidpunkt: the start of the requested day in Sweden, else the time of ordering."""
    if order.change_date:
        return start_of_swedish_day(order.change_date)
    return order.submitted_at or utc_now()


def tak_order(order, changes):
    return order_document(
        platform=header_of(order)["plattform"], ordered_at=tak_time(order.submitted_at or utc_now()),
        orderer=order.orderer_name or "", comment=order.other_info or "",
        execute_at=tak_time(execution_time(order)), lists=changes.tak_lists())


def tak_json_text(order, changes):
    """Indented, with each list item on one line: readable, and written by json's C encoder
    (indent= would switch to its pure-Python path, ten times slower on a 5,000-routing order)."""
    return _indented(tak_order(order, changes), 0)


def _indented(value, depth):
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict) and value:
        items = (f"{inner}{json.dumps(key)}: {_indented(item, depth + 1)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + "\n" + outer + "}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + json.dumps(item, ensure_ascii=False) for item in value) + "\n" + outer + "]"
    return json.dumps(value, ensure_ascii=False)
