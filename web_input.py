"""What arrives in a request, before any view sees it."""
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    """Query and form values without NUL characters. PostgreSQL's text cannot hold one (the query
    fails) and no field of this tool means one, so it is dropped on arrival, in one place."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = list(mapping.items(multi=True))
        elif isinstance(mapping, dict):
            mapping = [(key, value) for key, values in mapping.items()
                       for value in (values if isinstance(values, (list, tuple)) else [values])]
        if mapping is not None:
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in mapping]
        super().__init__(mapping)


class NulFreeRequest(Request):
    parameter_storage_class = NulFreeMultiDict
