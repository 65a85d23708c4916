"""What an order holds – the orderer's choices – as one typed record (`Order.choices`).

`Order.content` stores it as JSON; every reader goes through `OrderContent`, so a new part of an
order is one field here (and a step form that fills it), and a misspelt part is a TypeError at
`updated`, not a silently empty list. The entries inside the lists are plain dicts described by
the TypedDicts below: they are snapshots that stand alone (a sent order never re-reads the catalog).
"""
import dataclasses
from dataclasses import dataclass, field
from typing import TypedDict

ADD, REMOVE = "add", "remove"            # a producer order adds addressees, or removes them
SEPARATE, TOGETHER = "separate", "together"  # consumers ordered in a separate order, or in this one


class ContractEntry(TypedDict, total=False):
    id: int
    namespace: str
    name: str
    major: int
    domain: str                 # the service domain's namespace (the consumer's matrix is per domain)
    url: str                    # producer: the call address ordered for this contract
    profile: str                # producer: the RIVTA profile ordered
    previous_url: str           # producer: what the catalog had when the URL step was saved
    previous_profile: str


class AddressEntry(TypedDict, total=False):
    hsa_id: str
    name: str
    new: bool                   # not yet in the register: the order creates it


class ConsumerEntry(TypedDict, total=False):
    id: int
    hsa_id: str
    description: str
    label: str


class Cells(TypedDict):
    """The consumer's matrix: [contract id, addressee HSA-id] pairs to authorise and to withdraw."""

    add: list[list]
    remove: list[list]


def _no_cells():
    return {"add": [], "remove": []}


@dataclass(frozen=True)
class OrderContent:
    contracts: list[ContractEntry] = field(default_factory=list)
    # producer orders
    mode: str = ADD
    add_addresses: list[AddressEntry] = field(default_factory=list)
    remove_addresses: list[AddressEntry] = field(default_factory=list)
    consumer_choice: str = SEPARATE
    consumers: list[ConsumerEntry] = field(default_factory=list)
    # consumer orders
    cells: Cells = field(default_factory=_no_cells)
    # the catalog facts the order was judged against, frozen at Beställ (None while a draft)
    facts: dict | None = None
    # orders whose change set is made once and kept (ordering/stored_orders.py): what it is, kept as
    # made; with the number of the order it undoes (återställning) or the finding it cleans (städning)
    stored_changes: dict | None = None
    reverses: int | None = None
    cleans: str | None = None
    # the environment a kept change set was checked against: it changes no other
    checked_in: int | None = None
    # what the catalogue said, at Beställ, about every contract, addressee and component the change
    # set names (ordering/references.py): a rollback lists them again as TAK knows them
    references: dict | None = None

    @classmethod
    def of(cls, stored):
        """From the stored JSON (or an OrderContent); parts an older release stored and this one
        no longer knows are left out."""
        if isinstance(stored, cls):
            return stored
        names = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in (stored or {}).items() if key in names and value is not None}
        if "cells" in values:
            values["cells"] = {**_no_cells(), **values["cells"]}
        return cls(**values)

    def updated(self, **parts):
        return dataclasses.replace(self, **parts)

    def stored(self):
        # Shallow on purpose: frozen facts of a large order are big, and asdict would deep-copy them.
        values = {part.name: getattr(self, part.name) for part in dataclasses.fields(self)}
        for optional in ("facts", "stored_changes", "reverses", "cleans", "references", "checked_in"):
            if values[optional] is None:
                del values[optional]
        return values

    @property
    def removing(self):
        return self.mode == REMOVE

    @property
    def consumers_together(self):
        return self.consumer_choice == TOGETHER
