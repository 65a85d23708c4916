"""Tables of good and bad identifiers."""
import pytest

from forms.identifiers import (
    domain_namespace_problem,
    hsa_id_problem,
    is_test_hsa_id,
    namespace_problem,
    org_number_digits,
    org_number_problem,
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
    ("SE2321000016-92V4-ÅÄÖ", "å, ä, ö"),
    ("anna@example.se", "å, ä, ö eller @"),
    ("SE2321000016-" + "A" * 20, "högst 31"),
    ("SE2321000016", "formen SE"),
    ("SE2321000016-92 V4", "formen SE"),
    ("", "Ange ett HSA-id"),
])
def test_bad_hsa_ids(value, message):
    assert message in hsa_id_problem(value)


def test_test_style_ids_are_flagged():
    assert is_test_hsa_id("HSATEST2-C5J")
    assert not is_test_hsa_id("SE2321000016-92V4")


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
