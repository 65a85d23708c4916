"""What arrives in a request, before any view sees it."""
from flask import Request
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

# The largest id or number the database's INTEGER columns hold. A larger one in a URL would
# fail inside the query (OverflowError on SQLite, "out of range" on PostgreSQL) – a 500.
DATABASE_INT = 2**31 - 1


def database_int(value):
    """An int the database can compare with; ValueError otherwise."""
    number = int(value)
    if not -DATABASE_INT <= number <= DATABASE_INT:
        raise ValueError(f"{value} är för stort")
    return number


def database_ids(values):
    """The values that are ids the database can hold, as ints; anything else is left out."""
    ids = []
    for value in values:
        try:
            ids.append(database_int(value))
        except (TypeError, ValueError):
            pass
    return ids


class DatabaseIntConverter(IntegerConverter):
    """<int:…> in a route: out-of-range numbers are a 404 like any unknown number, and so are
    digits other than ASCII 0-9 (Python's int() would read '１' as 1)."""

    regex = r"[0-9]+"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", DATABASE_INT)
        super().__init__(url_map, *args, **kwargs)


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


# Query parameters that say where to go afterwards: ours (next) and Flask-Admin's (url).
REDIRECT_PARAMETERS = ("next", "url")


def same_site_path(target):
    """The target when it is a path on this site, else None. Browsers drop tabs and newlines from
    a URL and read a backslash as a slash, so '/<tab>/evil.example' or '/<backslash>evil' would
    leave the site; control characters and spaces are refused with them."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if any(character == "\\" or ord(character) < 0x21 or ord(character) == 0x7F for character in target):
        return None
    return target


class NulFreeRequest(Request):
    parameter_storage_class = NulFreeMultiDict

    @cached_property
    def args(self):
        """The query parameters; a redirect target that is not a same-site path is dropped here, once,
        so no view – ours or Flask-Admin's – can be made to send the user off-site."""
        return self._same_site_redirects(Request.args.fget(self))

    @cached_property
    def values(self):
        """Query and posted fields together – where Flask-Admin looks for its `url` to return to –
        with the same rule for the posted ones. `form` itself stays as posted: a routing's call
        address is a field named `url` too."""
        return CombinedMultiDict([self.args, self._same_site_redirects(self.form)])

    def _same_site_redirects(self, values):
        unsafe = {key for key in REDIRECT_PARAMETERS
                  if any(same_site_path(value) is None for value in values.getlist(key))}
        if not unsafe:
            return values
        return self.parameter_storage_class([(key, value) for key, value in values.items(multi=True)
                                             if key not in unsafe])


class RefusedInput(BadRequest):
    """A request no page of ours sends (malformed JSON, a tampered hidden field): a 400 whose
    Swedish description says what was refused. Nothing of it is stored."""

    def __init__(self, message):
        super().__init__(description=message)
