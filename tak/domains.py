"""Swedish domain names from RIV-TA's domains.xml, or from Inera's domain information API (DOMDB,
`…/dominfo/v1/servicedomains.json`: a list of domains, each with `name` – the namespace –,
`swedishShort` and `swedishLong`), read from a file or over HTTP."""
import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import sqlalchemy as sa

from extensions import db
from models import ServiceDomain

from .export import TakExportError


def read_domain_names(source):
    """{namespace: Swedish nickname} from domains.xml (nickname, else swedish_name) or DOMDB's JSON
    (short name, else long), a path or an http(s) address."""
    source = str(source)
    if source.startswith(("http://", "https://")):
        return _domdb_names(_fetched(source), source)
    if source.lower().endswith(".json"):
        try:
            with open(source, "rb") as handle:
                return _domdb_names(handle.read(), source)
        except OSError as error:
            raise TakExportError(f"Filen kan inte läsas: {error.strerror} ({source})") from error
    return _xml_names(source)


def _fetched(url):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                                    timeout=60) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as error:
        if isinstance(error, urllib.error.HTTPError):
            error.close()  # its body holds the connection open
        raise TakExportError(f"Domäninformationen kunde inte hämtas från {url}: {getattr(error, 'reason', error)}") from error


def _domdb_names(raw, source):
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TakExportError(f"{source} är inte giltig JSON från domäninformationen (DOMDB).") from error
    domains = document.get("answer") if isinstance(document, dict) else document  # tkview's cache wraps it
    if not isinstance(domains, list):
        raise TakExportError(f"{source} har fel format: en lista av tjänstedomäner väntades.")
    names = {}
    for domain in domains:
        if not isinstance(domain, dict) or domain.get("hidden"):
            continue
        namespace = str(domain.get("name") or "").strip()
        name = str(domain.get("swedishShort") or "").strip() or str(domain.get("swedishLong") or "").strip()
        if namespace and name and name != "-":
            names[namespace] = name
    return names


def _xml_names(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        raise TakExportError(f"Filen kan inte läsas som domains.xml: {error}") from error
    names = {}
    for domain in root.iter("domain"):
        namespace = (domain.get("name") or "").strip()
        name = (domain.get("swedish_nickname") or "").strip() or (domain.get("swedish_name") or "").strip()
        if namespace and name and name != "-":
            names[namespace] = name
    return names


def load_domain_names(source):
    names = read_domain_names(source)
    existing = {d.namespace: d for d in db.session.scalars(sa.select(ServiceDomain))}
    created = updated = 0
    for namespace, name in names.items():
        domain = existing.get(namespace)
        if domain is None:
            db.session.add(ServiceDomain(namespace=namespace, swedish_name=name))
            created += 1
        elif not domain.swedish_name:
            # A name customer service has edited in the admin wins over the file.
            domain.swedish_name = name
            updated += 1
    db.session.commit()
    return created, updated
