"""Change logging as a model feature: a model that inherits `Audited` gets a change-log row with
before/after for every create, update and delete (models/audit.py), whoever makes it."""


class Audited:
    """Marker: rows of this model are change-logged."""
