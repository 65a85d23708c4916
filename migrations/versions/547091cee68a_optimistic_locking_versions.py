"""Optimistic locking versions

Revision ID: 547091cee68a
Revises: 5b1e7c2a9d10
Create Date: 2026-11-26 01:55:57.445358

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '547091cee68a'
down_revision = '5b1e7c2a9d10'
branch_labels = None
depends_on = None


TABLES = ["bs_order", "call_authorization", "environment", "faq_entry", "installed_contract", "logical_address",
          "organisation", "producer_connection", "rivta_profile", "service_contract", "service_domain", "system",
          "system_instance", "user_account"]


# Plain ALTER TABLE, not batch mode: on SQLite a batch recreates the table and loses the
# expression indexes (unique on lower(hsa_id) and friends) that SQLite cannot reflect.
def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade():
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")  # SQLite ≥ 3.35 and PostgreSQL alike
