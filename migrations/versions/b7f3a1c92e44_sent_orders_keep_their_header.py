"""Sent orders keep their environment and system as they were; order numbers are never reused

Revision ID: b7f3a1c92e44
Revises: 099d610fed60
Create Date: 2026-12-01 20:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b7f3a1c92e44'
down_revision = '099d610fed60'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("bs_order", sa.Column("sent_header", sa.JSON(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # AUTOINCREMENT exists only in CREATE TABLE: SQLite's table is rebuilt with it (bs_order has
        # no expression indexes that a rebuild would lose).
        with op.batch_alter_table("bs_order", recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}) as batch:
            batch.alter_column("id", existing_type=sa.Integer(), nullable=False)


def downgrade():
    with op.batch_alter_table("bs_order") as batch:
        batch.drop_column("sent_header")
