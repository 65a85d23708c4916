"""Optimistic locking: a row carries a version that every ORM UPDATE checks and bumps."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

STALE_MESSAGE = ("Någon annan har ändrat uppgifterna sedan du öppnade sidan, så dina ändringar sparades inte. "
                 "Ladda om sidan för att se de aktuella uppgifterna och gör om din ändring.")


class Versioned:
    """An UPDATE whose row changed underneath it (another officer, another tab) matches no row and
    raises StaleDataError instead of overwriting; forms also carry the version they showed."""

    # server_default: the TAK import and the demo generator insert with Core, without the ORM.
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}
