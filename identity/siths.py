"""Reading the holder's HSA-id from a SITHS client certificate forwarded by the TLS proxy.

The proxy (nginx/Apache) terminates TLS and verifies the card against the SITHS CA; we only
read the certificate it forwards, and only when the request really comes from that proxy.
"""
import functools
import ipaddress
from urllib.parse import unquote

from cryptography import x509
from cryptography.x509.oid import NameOID

from forms.identifiers import hsa_id_problem


class CertificateError(ValueError):
    """The forwarded certificate cannot identify a person; the message is shown to the user."""


@functools.lru_cache(maxsize=8)
def parse_trusted_proxies(setting):
    """'10.0.0.5, 10.1.0.0/16' → networks (parsed once per setting). An empty setting trusts nobody."""
    networks = []
    for part in (setting or "").replace(";", ",").split(","):
        if part.strip():
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
    return tuple(networks)


def is_trusted(remote_addr, networks):
    if not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in network for network in networks)


def _load(header_value):
    pem = unquote(header_value or "").strip()
    if not pem:
        raise CertificateError("Inget SITHS-certifikat skickades med. Sätt i ditt SITHS-kort och försök igen.")
    # Exactly one certificate and nothing around it: the proxy forwards nothing else.
    if not (pem.startswith("-----BEGIN CERTIFICATE-----") and pem.endswith("-----END CERTIFICATE-----")
            and pem.count("-----BEGIN") == 1):
        raise CertificateError("SITHS-certifikatet kunde inte läsas.")
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise CertificateError("SITHS-certifikatet kunde inte läsas.") from error


def _subject(header_value):
    try:
        return _load(header_value).subject
    except ValueError as error:  # a name the certificate's own encoding forbids
        if isinstance(error, CertificateError):
            raise
        raise CertificateError("SITHS-certifikatet kunde inte läsas.") from error


def certificate_identities(header_value):
    """serialNumber and CN of a forwarded client certificate (a system's, such as TAK's)."""
    subject = _subject(header_value)
    return {attribute.value.strip().lower() for oid in (NameOID.SERIAL_NUMBER, NameOID.COMMON_NAME)
            for attribute in subject.get_attributes_for_oid(oid) if attribute.value.strip()}


@functools.lru_cache(maxsize=256)  # a SITHS session's every request checks its card again
def hsa_id_from_certificate(header_value):
    """The subject's serialNumber (OID 2.5.4.5) of a PEM certificate, URL-encoded as nginx's
    $ssl_client_escaped_cert sends it (plain PEM is accepted too)."""
    serials = _subject(header_value).get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    hsa_id = serials[0].value.strip() if serials else ""
    if not hsa_id:
        raise CertificateError("Certifikatet saknar HSA-id (serialNumber) och kan inte användas för "
                               "inloggning. Använd ditt personliga SITHS-kort.")
    if hsa_id_problem(hsa_id):  # a person's HSA-id, as on every SITHS card; anything else is no login
        raise CertificateError("Certifikatets serialNumber är inget giltigt HSA-id och kan inte användas för "
                               "inloggning. Använd ditt personliga SITHS-kort.")
    return hsa_id.upper()
