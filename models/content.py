"""Texts customer service edits without a deploy: the FAQ and the accessibility statement."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from .audited import Audited
from .versioned import Versioned

FAQ, ACCESSIBILITY = "faq", "tillganglighet"
PAGE_LABELS = {FAQ: "FAQ", ACCESSIBILITY: "Tillgänglighetsredogörelse"}


class FaqEntry(Audited, Versioned, db.Model):
    """One section of a public text page: a question and its answer in the FAQ, or a heading and
    its text in the accessibility statement."""

    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    page: Mapped[str] = mapped_column(sa.Enum(*PAGE_LABELS, name="content_page", native_enum=False, length=20),
                                      default=FAQ, server_default=FAQ)
    position: Mapped[int] = mapped_column(default=0)
    question: Mapped[str] = mapped_column(sa.String(300))
    answer: Mapped[str] = mapped_column(sa.Text, default="")

    def __str__(self):
        return self.question
