"""Swedish domain names from RIV-TA's domains.xml."""
import xml.etree.ElementTree as ET

import sqlalchemy as sa

from extensions import db
from models import ServiceDomain

from .export import TakExportError


def read_domain_names(path):
    """{namespace: Swedish nickname} from domains.xml; nickname falls back to swedish_name."""
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


def load_domain_names(path):
    names = read_domain_names(path)
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
