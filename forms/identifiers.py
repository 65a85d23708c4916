"""Rules for the identifiers of the platform, as plain functions (no forms involved).

Each check returns None when the value is acceptable, or a Swedish sentence saying what is wrong.
"""
import re
from urllib.parse import urlsplit

HSA_ID_MAX_LENGTH = 31
URL_MAX_LENGTH = 255

_HSA_ID = re.compile(r"^SE(16)?(?P<org>\d{10})-[A-Za-z0-9]+$")
_TEST_HSA_ID = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$")
_NAMESPACE = re.compile(r"^[A-Za-z0-9._:-]+$")


def org_number_digits(value):
    """'556559-4230' -> '5565594230'; anything else comes back stripped."""
    value = (value or "").strip()
    return value.replace("-", "") if re.fullmatch(r"\d{6}-?\d{4}", value) else value


def luhn_ok(digits):
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def org_number_problem(value):
    digits = org_number_digits(value)
    if not re.fullmatch(r"\d{10}", digits):
        return "Organisationsnumret ska ha 10 siffror, t.ex. 556559-4230."
    if not luhn_ok(digits):
        return "Organisationsnumret har fel kontrollsiffra."
    return None


def hsa_id_problem(value):
    value = (value or "").strip()
    if not value:
        return "Ange ett HSA-id."
    if len(value) > HSA_ID_MAX_LENGTH:
        return f"Ett HSA-id får vara högst {HSA_ID_MAX_LENGTH} tecken."
    if re.search(r"[åäöÅÄÖ@]", value):
        return "Ett HSA-id får inte innehålla å, ä, ö eller @."
    match = _HSA_ID.match(value)
    if match:
        if not luhn_ok(match.group("org")):
            return "Organisationsnumret i HSA-id:t har fel kontrollsiffra."
        return None
    if is_test_hsa_id(value):
        return None
    return ("Ett HSA-id ska ha formen SE + organisationsnummer + '-' + bokstäver/siffror, "
            "t.ex. SE2321000016-92V4.")


def is_test_hsa_id(value):
    """Test-style ids such as HSATEST2-C5J are accepted, but deserve a warning."""
    value = (value or "").strip()
    return not _HSA_ID.match(value) and bool(_TEST_HSA_ID.match(value)) and len(value) <= HSA_ID_MAX_LENGTH


def namespace_problem(value):
    value = (value or "").strip()
    if not value.startswith("urn:"):
        return "Namnrymden ska börja med 'urn:', t.ex. urn:riv:crm:scheduling:GetBookingDetailsResponder:1."
    if not _NAMESPACE.match(value):
        return "Namnrymden får bara innehålla bokstäver a–z, siffror och tecknen : . _ -"
    return None


def domain_namespace_problem(value):
    value = (value or "").strip()
    if not re.fullmatch(r"[a-z0-9]+(:[a-z0-9]+)*", value):
        return "Domänens namnrymd skrivs med små bokstäver och kolon, t.ex. crm:scheduling."
    return None


def url_problem(value):
    value = (value or "").strip()
    if len(value) > URL_MAX_LENGTH:
        return f"URL:en får vara högst {URL_MAX_LENGTH} tecken."
    if re.search(r"\s", value):
        return "URL:en får inte innehålla mellanslag eller radbrytningar."
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Ange en fullständig URL som börjar med http:// eller https://, t.ex. https://server.example.se/tjanst."
    return None
