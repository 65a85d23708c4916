"""Texts customer service edits without a deploy: the FAQ."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from .audited import Audited
from .versioned import Versioned


class FaqEntry(Audited, Versioned, db.Model):
    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    question: Mapped[str] = mapped_column(sa.String(300))
    answer: Mapped[str] = mapped_column(sa.Text, default="")

    def __str__(self):
        return self.question
