"""All models, importable from one place (Alembic's env and Flask-Admin need them all)."""
from .audit import ChangeLog  # noqa: F401
from .catalog import (  # noqa: F401
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    ServiceDomain,
)
from .content import FaqEntry  # noqa: F401
from .directory import InstanceChangeRequest, Organisation, System, SystemInstance, instance_environment  # noqa: F401
from .health import CatalogHealth, CatalogSync  # noqa: F401
from .orders import Order, OrderStatusChange  # noqa: F401
from .outbox import OutboundEmail  # noqa: F401
from .users import ADMIN, CUSTOMER_SERVICE, ORDERER, ROLE_LABELS, ROLES, KeptForm, User  # noqa: F401
