"""Validity indexes for the start page's figures

Revision ID: 099d610fed60
Revises: 9c4d2e6f8a31
Create Date: 2026-11-26 04:42:39.992342

"""
from alembic import op


revision = '099d610fed60'
down_revision = '9c4d2e6f8a31'
branch_labels = None
depends_on = None

# Plain CREATE INDEX: batch mode would rebuild the tables on SQLite for nothing.
INDEXES = {
    "ix_call_authorization_validity": ("call_authorization", ["environment_id", "valid_to", "valid_from"]),
    "ix_producer_connection_validity": ("producer_connection",
                                        ["environment_id", "logical_address_id", "valid_to", "valid_from"]),
}


def upgrade():
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade():
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
