"""The outbox keeps its bodies in the last columns on SQLite

SQLite stores a row's columns one after the other and reads through a megabyte-sized body (an
order's TAK JSON) to reach a column stored after it: the outbox list, which never shows a body,
spent 8 ms per page on the status and errors of the newest order mails. PostgreSQL keeps large
values out of line (TOAST), so there the order does not matter and nothing is done.

Revision ID: 7c5a175d2e92
Revises: 2850f02b0928
Create Date: 2026-12-02 07:03:58.393034

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c5a175d2e92'
down_revision = '2850f02b0928'
branch_labels = None
depends_on = None


LIST_COLUMNS_FIRST = ("id", "created_at", "recipients", "subject", "reference", "status", "attempts", "last_error",
                      "next_attempt_at", "sent_at", "text_body", "html_body", "attachments")


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("outbound_email", recreate="always", partial_reordering=[LIST_COLUMNS_FIRST]):
        pass


def downgrade():
    pass  # the order of columns means nothing to the schema
