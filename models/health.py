"""The catalogue health report of an environment as last computed (after each TAK import, or when
customer service asks): counts per finding. The rows themselves are always read from the mirror."""
import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db


class CatalogHealth(db.Model):
    __tablename__ = "catalog_health"

    environment_id: Mapped[int] = mapped_column(sa.ForeignKey("environment.id", ondelete="CASCADE"),
                                                primary_key=True)
    computed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    day: Mapped[dt.date] = mapped_column(sa.Date)  # the rows valid on this (Swedish) day were judged
    counts: Mapped[dict] = mapped_column(sa.JSON)  # finding key -> number of rows


class CatalogSync(db.Model):
    """One run of `flask tak sync` for one environment: what TAK-API's snapshot changed in the mirror,
    or why nothing was changed. Customer service reads them under Uppföljning → TAK-synkronisering."""

    __tablename__ = "catalog_sync"
    __table_args__ = (sa.Index("ix_catalog_sync_environment_started", "environment_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    environment_id: Mapped[int] = mapped_column(sa.ForeignKey("environment.id", ondelete="CASCADE"))
    environment = sa.orm.relationship("Environment")
    started_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    succeeded: Mapped[bool] = mapped_column(default=False)
    snapshot_time: Mapped[str | None] = mapped_column(sa.String(40))  # as TAK-API wrote it
    added: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    ended: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(sa.Text)  # the reason of a failure, in Swedish

    @property
    def duration_seconds(self):
        return (self.finished_at - self.started_at).total_seconds()
