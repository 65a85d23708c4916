"""Rules for the identifiers of the platform, as plain functions (no forms involved).

Each check returns None when the value is acceptable, or a Swedish sentence saying what is wrong.
"""
import re
from urllib.parse import urlsplit

from stdnum.se import orgnr

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
    """The organisationsnummer's check digit (Luhn over the ten digits), by python-stdnum."""
    return orgnr.is_valid(digits)


def org_number_problem(value):
    digits = org_number_digits(value)
    if not re.fullmatch(r"\d{10}", digits):
        return "Organisationsnumret ska ha 10 siffror, t.ex. 556559-4230."
    if not luhn_ok(digits):
        return "Organisationsnumret har fel kontrollsiffra."
    return None


def hsa_id_problem(value):
    """A person's HSA-id (a user's SITHS card): TAK's characters, and the form SE + organisationsnummer
    + '-' + suffix (or a test id such as HSATEST2-C5J), at most 31 characters."""
    value = (value or "").strip()
    problem = tak_id_problem(value)
    if problem:
        return problem
    if len(value) > HSA_ID_MAX_LENGTH:
        return f"Ett HSA-id får vara högst {HSA_ID_MAX_LENGTH} tecken."
    match = _HSA_ID.match(value)
    if match:
        return None if luhn_ok(match.group("org")) else "Organisationsnumret i HSA-id:t har fel kontrollsiffra."
    if _TEST_HSA_ID.match(value):
        return None
    return ("Ett HSA-id ska ha formen SE + organisationsnummer + '-' + bokstäver/siffror, "
            "t.ex. SE2321000016-92V4.")


# --- TAK's identifiers: logical addressees and components (system instances) ------------------
# TAK accepts letters A-Z/a-z, digits, '_' and '-', 1-255 characters, and real catalogues use
# that freedom (5565594230, VS0001, T_SERVICES_SE165565594230-1023): only what TAK itself would
# refuse is refused here; an id that does not look like an HSA-id gets a hint, never a refusal.
TAK_ID_MAX_LENGTH = 255
_TAK_ID = re.compile(r"[0-9A-Za-z_-]+")


def tak_id_problem(value):
    """Why TAK would refuse this logical address or component id, in Swedish; None if it would not."""
    value = (value or "").strip()
    if not value:
        return "Ange ett HSA-id."
    if len(value) > TAK_ID_MAX_LENGTH:
        return f"Ett HSA-id får vara högst {TAK_ID_MAX_LENGTH} tecken."
    if re.search(r"[åäöÅÄÖ]", value):
        return "Ett HSA-id får inte innehålla å, ä eller ö."
    if "@" in value:
        return "Ett HSA-id får inte innehålla @."
    if re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", value):
        return "Ett HSA-id får inte innehålla radbrytningar eller andra styrtecken."
    if re.search(r"\s", value):
        return "Ett HSA-id får inte innehålla mellanslag."
    if not _TAK_ID.fullmatch(value):
        return "Ett HSA-id får bara innehålla bokstäver A–Z, siffror, understreck (_) och bindestreck (-)."
    return None


def tak_id_hints(value):
    """Non-blocking notes on an id TAK accepts: not of the SE + organisationsnummer form, a wrong
    check digit in it, or a case TAK's import will change."""
    value = (value or "").strip()
    if not value or tak_id_problem(value):
        return []
    hints = []
    match = _HSA_ID.match(value.upper())
    if match is None:
        hints.append(f"Observera: {value} har inte formen SE + organisationsnummer + '-' + bokstäver/siffror "
                     "(t.ex. SE2321000016-92V4). TAK godtar det, men kontrollera att det är rätt id.")
    elif not luhn_ok(match.group("org")):
        hints.append(f"Observera: organisationsnumret i {value} har fel kontrollsiffra. "
                     "TAK godtar det, men kontrollera att det är rätt id.")
    if value != value.upper():
        hints.append(f"TAK lagrar nya id:n med versaler: {value.upper()}.")
    return hints


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


def name_problem(value):
    """A name or description that goes into TAK (an addressee's, a component's): one line of text.
    Line breaks and tabs would be written into the catalogue and into TAK's order as they are."""
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in value or ""):
        return "Namnet får inte innehålla radbrytningar, tabbar eller andra styrtecken."
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
