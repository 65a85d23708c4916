"""Covering index for the producer flow's connection questions

Revision ID: 5b1e7c2a9d10
Revises: c29ad5004f27
Create Date: 2026-11-26 01:50:00

"""
from alembic import op


revision = '5b1e7c2a9d10'
down_revision = 'c29ad5004f27'
branch_labels = None
depends_on = None

OLD = ("environment_id", "producer_id", "contract_id")
NEW = OLD + ("logical_address_id", "valid_to", "valid_from")


def upgrade():
    op.drop_index("ix_producer_connection_producer", table_name="producer_connection")
    op.create_index("ix_producer_connection_producer", "producer_connection", list(NEW))


def downgrade():
    op.drop_index("ix_producer_connection_producer", table_name="producer_connection")
    op.create_index("ix_producer_connection_producer", "producer_connection", list(OLD))
