"""Tables of good and bad identifiers."""
import pytest

from forms.identifiers import (
    domain_namespace_problem,
    hsa_id_problem,
    namespace_problem,
    org_number_digits,
    org_number_problem,
    tak_id_hints,
    tak_id_problem,
    url_problem,
)


@pytest.mark.parametrize("value", ["556559-4230", "5565594230", "232100-0016", " 2321000131 "])
def test_good_org_numbers(value):
    assert org_number_problem(value) is None


@pytest.mark.parametrize("value, message", [
    ("556559-4231", "kontrollsiffra"),
    ("55655942", "10 siffror"),
    ("55655-94230", "10 siffror"),
    ("abcdefghij", "10 siffror"),
    ("", "10 siffror"),
])
def test_bad_org_numbers(value, message):
    assert message in org_number_problem(value)


def test_org_number_digits():
    assert org_number_digits("556559-4230") == "5565594230"


@pytest.mark.parametrize("value", [
    "SE2321000016-92V4", "SE162321000032-4LGG", "SE5565594230-BCQ", "SE2321000230-E00912",
    "HSATEST2-C5J",
])
def test_good_hsa_ids(value):
    assert hsa_id_problem(value) is None


@pytest.mark.parametrize("value, message", [
    ("SE2321000017-92V4", "kontrollsiffra"),
    ("SE2321000016-92V4-ÅÄÖ", "å, ä eller ö"),
    ("anna@example.se", "inte innehålla @"),
    ("SE2321000016-" + "A" * 20, "högst 31"),
    ("SE2321000016", "formen SE"),
    ("SE2321000016-92 V4", "mellanslag"),
    ("", "Ange ett HSA-id"),
])
def test_bad_hsa_ids(value, message):
    assert message in hsa_id_problem(value)


@pytest.mark.parametrize("value", [
    "SE2321000016-92V4", "5565594230", "VS0001", "NMTJOLKS1", "T_SERVICES_SE165565594230-1023", "HSATEST2-C5J",
    "a", "x" * 255, "se2321000016-92v4",
])
def test_tak_accepts_what_tak_accepts(value):
    assert tak_id_problem(value) is None


@pytest.mark.parametrize("value, message", [
    ("", "Ange ett HSA-id"),
    ("x" * 256, "högst 255"),
    ("SE2321000016-Västerbotten", "å, ä eller ö"),
    ("anna@example.se", "@"),
    ("SE 12345", "mellanslag"),
    ("SE2321000164\u2028-10LG", "styrtecken"),
    ("S 123\r\n4134", "styrtecken"),
    ("SE2321000016-92V4\t", None),  # surrounding whitespace is trimmed
    ("SE2321000016.92V4", "bara innehålla"),
    ("SE2321000016-92V4;x", "bara innehålla"),
])
def test_tak_refuses_what_tak_refuses(value, message):
    problem = tak_id_problem(value)
    if message is None:
        assert problem is None
    else:
        assert message in problem


def test_hints_never_refuse_and_say_what_tak_stores():
    assert tak_id_hints("SE2321000016-92V4") == []
    assert "inte formen SE" in tak_id_hints("VS0001")[0]
    assert "kontrollsiffra" in tak_id_hints("SE2321000017-92V4")[0]
    assert any("SE2321000016-92V4" in hint and "versaler" in hint for hint in tak_id_hints("se2321000016-92v4"))
    assert tak_id_hints("Västerbotten") == []  # refused, so no hint


@pytest.mark.parametrize("value, ok", [
    ("urn:riv:crm:scheduling:GetBookingDetailsResponder:1", True),
    ("urn:riv13606:v1.1:RIV13606REQUEST_EHR_EXTRACT", True),
    ("riv:crm:scheduling:GetBookingDetailsResponder:1", False),
    ("urn:riv:crm:scheduling:Get Booking:1", False),
    ("urn:riv:crm:schedulering:GetBökning:1", False),
])
def test_namespaces(value, ok):
    assert (namespace_problem(value) is None) is ok


@pytest.mark.parametrize("value, ok", [
    ("crm:scheduling", True), ("clinicalprocess:activity:request", True),
    ("Crm:Scheduling", False), ("crm scheduling", False), ("crm:", False),
])
def test_domain_namespaces(value, ok):
    assert (domain_namespace_problem(value) is None) is ok


@pytest.mark.parametrize("value, ok", [
    ("https://tp.example.se/GetBookingDetails/1/rivtabp21", True),
    ("http://localhost:8080/x", True),
    ("ftp://example.se/x", False),
    ("https://", False),
    ("tp.example.se/x", False),
    ("https://exa mple.se", False),
    ("https://example.se/" + "x" * 250, False),
])
def test_urls(value, ok):
    assert (url_problem(value) is None) is ok
