"""The catalogue health report of an environment as last computed (after each TAK import, or when
customer service asks): counts per finding. The rows themselves are always read from the mirror."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db


class CatalogHealth(db.Model):
    __tablename__ = "catalog_health"

    environment_id: Mapped[int] = mapped_column(sa.ForeignKey("environment.id", ondelete="CASCADE"),
                                                primary_key=True)
    computed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    day: Mapped[dt.date] = mapped_column(sa.Date)  # the rows valid on this (Swedish) day were judged
    counts: Mapped[dict] = mapped_column(sa.JSON)  # finding key -> number of rows
