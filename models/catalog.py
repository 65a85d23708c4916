"""Catalog: a mirror of each environment's TAK (filled by imports and completed orders)."""
import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from ._columns import unique_ignoring_case
from .audited import Audited
from .versioned import Versioned

# TAK gives new rows a validity of 100 years; imports and "apply" use the same horizon.
VALIDITY_YEARS = 100


def tak_api_mapping(setting):
    """TAK_SYNC_ENVIRONMENTS, 'NTJP PROD=NTJP:PROD,NTJP TEST=NTJP:TEST', as {"NTJP PROD": ("NTJP", "PROD"), …}:
    which of our environments follows which of TAK-API's connection points."""
    mapping = {}
    for part in filter(None, (piece.strip() for piece in (setting or "").split(","))):
        label, _, point = part.partition("=")
        platform, _, environment = point.partition(":")
        if not (label.strip() and platform.strip() and environment.strip()):
            raise ValueError(f"TAK_SYNC_ENVIRONMENTS: '{part}' ska skrivas 'NTJP PROD=NTJP:PROD'.")
        mapping[label.strip()] = (platform.strip(), environment.strip())
    return mapping


def validity_end(start):
    """The last day of a row TAK starts on `start` (TAK gives ordered rows 100 years)."""
    try:
        return start.replace(year=start.year + VALIDITY_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + VALIDITY_YEARS, day=28)


def domain_namespace_of(contract_namespace):
    """'urn:riv:crm:scheduling:GetBookingDetailsResponder:1' -> 'crm:scheduling'.

    RIV-TA names the domain by the segments before the first one that starts with a capital.
    """
    segments = re.sub(r"^urn:riv:", "", contract_namespace.strip(), flags=re.IGNORECASE).split(":")
    domain = []
    for segment in segments:
        if segment[:1].isupper():
            break
        domain.append(segment)
    return ":".join(domain)


def contract_name_of(contract_namespace):
    """'urn:riv:crm:scheduling:GetBookingDetailsResponder:1' -> 'GetBookingDetails'."""
    for segment in contract_namespace.strip().split(":"):
        if segment[:1].isupper():
            return re.sub(r"Responder$", "", segment)
    return contract_namespace.strip()


class Environment(Audited, Versioned, db.Model):
    """A platform and environment, e.g. NTJP + QA: shown 'NTJP QA', called 'NTJP-QA' by TAK."""

    __tablename__ = "environment"
    __table_args__ = (sa.UniqueConstraint("platform", "name", name="uq_environment_platform_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)
    snapshot_time: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    imported_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def display(self):
        return f"{self.platform} {self.name}"

    @property
    def tak_code(self):
        return f"{self.platform}-{self.name}"

    @staticmethod
    def split_label(label):
        """'NTJP TEST' or 'NTJP-TEST' -> ('NTJP', 'TEST')."""
        platform, _, name = label.strip().upper().replace("-", " ").partition(" ")
        return platform, name.strip()

    def __str__(self):
        return self.display


class ServiceDomain(Audited, Versioned, db.Model):
    __tablename__ = "service_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    namespace: Mapped[str] = mapped_column(sa.String(255), unique=True)
    swedish_name: Mapped[str | None] = mapped_column(sa.String(255))

    def __str__(self):
        if self.swedish_name:
            return f"{self.namespace} ({self.swedish_name.lower()})"
        return self.namespace


class ServiceContract(Audited, Versioned, db.Model):
    __tablename__ = "service_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    namespace: Mapped[str] = mapped_column(sa.String(255), index=True)  # the register's sort order
    name: Mapped[str] = mapped_column(sa.String(255), index=True)
    major: Mapped[int] = mapped_column(default=1)
    minor: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(sa.String(1000))
    domain_id: Mapped[int] = mapped_column(sa.ForeignKey("service_domain.id"), index=True)

    domain: Mapped[ServiceDomain] = relationship(lazy="joined")

    def __str__(self):
        return f"{self.name} v{self.major} ({self.domain.namespace if self.domain else ''})"


unique_ignoring_case(ServiceContract.__table__.c.namespace)


class InstalledContract(Audited, Versioned, db.Model):
    """A contract installed in one environment's TAK, and so orderable there."""

    __tablename__ = "installed_contract"
    __table_args__ = (
        sa.UniqueConstraint("environment_id", "contract_id", name="uq_installed_contract_environment_contract"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    environment_id: Mapped[int] = mapped_column(sa.ForeignKey("environment.id", ondelete="CASCADE"))
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("service_contract.id"), index=True)

    environment: Mapped[Environment] = relationship(lazy="joined")
    contract: Mapped[ServiceContract] = relationship(lazy="joined")

    def __str__(self):
        return f"{self.contract} i {self.environment}"


class LogicalAddress(Audited, Versioned, db.Model):
    __tablename__ = "logical_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsa_id: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(1000), default="")

    # The register's sort order; with the key in it a deep page walks the index alone (see get_list).
    __table_args__ = (sa.Index("ix_logical_address_list", "hsa_id", "id"),)

    def __str__(self):
        return f"{self.name} ({self.hsa_id})" if self.name else self.hsa_id


unique_ignoring_case(LogicalAddress.__table__.c.hsa_id)


class RivtaProfile(Audited, Versioned, db.Model):
    __tablename__ = "rivta_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True)
    description: Mapped[str | None] = mapped_column(sa.String(255))

    def __str__(self):
        return self.name


class _Validity:
    """Validity in whole (Swedish) days, both ends included, as TAK's from/tom."""

    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date] = mapped_column(sa.Date)


class ProducerConnection(Audited, Versioned, _Validity, db.Model):
    """TAK's vägval with its anropsadress: producer answers contract for addressee at URL."""

    __tablename__ = "producer_connection"
    # No unique constraint on (environment, contract, addressee): TAK exports contain
    # overlapping rows and the mirror keeps them. Our orders enforce one live row instead.
    __table_args__ = (
        sa.Index("ix_producer_connection_lookup", "environment_id", "contract_id", "logical_address_id", "valid_to"),
        # Covers the producer flow's questions (which addressees, live when) without table reads.
        sa.Index("ix_producer_connection_producer", "environment_id", "producer_id", "contract_id",
                 "logical_address_id", "valid_to", "valid_from"),
        sa.Index("ix_producer_connection_address", "logical_address_id"),
        # Covers the start page's figures (live rows and addressees per environment) without table reads.
        sa.Index("ix_producer_connection_validity", "environment_id", "logical_address_id", "valid_to", "valid_from"),
        # The register's list of one environment, in key order (see ProtectedModelView._apply_sorting).
        sa.Index("ix_producer_connection_list", "environment_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    environment_id: Mapped[int] = mapped_column(sa.ForeignKey("environment.id", ondelete="CASCADE"))
    producer_id: Mapped[int] = mapped_column(sa.ForeignKey("system_instance.id"))
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("service_contract.id"))
    logical_address_id: Mapped[int] = mapped_column(sa.ForeignKey("logical_address.id"))
    rivta_profile_id: Mapped[int] = mapped_column(sa.ForeignKey("rivta_profile.id"), index=True)
    url: Mapped[str] = mapped_column(sa.String(1024))

    environment: Mapped[Environment] = relationship(lazy="joined")
    producer: Mapped["SystemInstance"] = relationship(lazy="joined")  # noqa: F821
    contract: Mapped[ServiceContract] = relationship(lazy="joined")
    logical_address: Mapped[LogicalAddress] = relationship(lazy="joined")
    rivta_profile: Mapped[RivtaProfile] = relationship(lazy="joined")

    def __str__(self):
        return f"{self.contract} / {self.logical_address} -> {self.url}"


class CallAuthorization(Audited, Versioned, _Validity, db.Model):
    """TAK's anropsbehörighet: consumer may call contract for addressee."""

    __tablename__ = "call_authorization"
    __table_args__ = (
        sa.Index(
            "ix_call_authorization_lookup",
            "environment_id", "consumer_id", "contract_id", "logical_address_id", "valid_to",
        ),
        sa.Index("ix_call_authorization_contract", "environment_id", "contract_id", "logical_address_id"),
        sa.Index("ix_call_authorization_address", "logical_address_id"),
        sa.Index("ix_call_authorization_validity", "environment_id", "valid_to", "valid_from"),
        sa.Index("ix_call_authorization_list", "environment_id", "id"),  # as ix_producer_connection_list
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    environment_id: Mapped[int] = mapped_column(sa.ForeignKey("environment.id", ondelete="CASCADE"))
    consumer_id: Mapped[int] = mapped_column(sa.ForeignKey("system_instance.id"))
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("service_contract.id"))
    logical_address_id: Mapped[int] = mapped_column(sa.ForeignKey("logical_address.id"))
    integration_agreement: Mapped[str | None] = mapped_column(sa.String(255))

    environment: Mapped[Environment] = relationship(lazy="joined")
    consumer: Mapped["SystemInstance"] = relationship(lazy="joined")  # noqa: F821
    contract: Mapped[ServiceContract] = relationship(lazy="joined")
    logical_address: Mapped[LogicalAddress] = relationship(lazy="joined")

    def __str__(self):
        return f"{self.consumer.hsa_id}: {self.contract} / {self.logical_address}"


# --- Questions every part asks of the mirror (order flows, TAK import, start page) -------------

def live_on(model, day):
    """Rows of a validity-bearing model that apply on the given day (TAK's from/tom, inclusive)."""
    return sa.and_(model.valid_from <= day, model.valid_to >= day)


def rows_in_environment(model, environment_id, day=None):
    """How many rows of an environment-bound model the mirror holds (only those live on day, if given)."""
    query = sa.select(sa.func.count()).select_from(model).where(model.environment_id == environment_id)
    if day is not None:
        query = query.where(live_on(model, day))
    return db.session.scalar(query)


def environment_named(label):
    """The environment called e.g. 'NTJP TEST' (or 'NTJP-TEST'), or None."""
    platform, name = Environment.split_label(label)
    return db.session.scalar(sa.select(Environment).filter_by(platform=platform, name=name))
