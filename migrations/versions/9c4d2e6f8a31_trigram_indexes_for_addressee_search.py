"""Trigram indexes for the addressee search on PostgreSQL

Revision ID: 9c4d2e6f8a31
Revises: 547091cee68a
Create Date: 2026-11-26 02:12:00

"Contains" searches (lower(column) LIKE '%term%') over 60,000 addressees use these GIN indexes
on PostgreSQL. SQLite has no equivalent and scans (see ordering/catalog.contains). The indexes
are not in the models' metadata; migrations/env.py leaves "*_trgm" indexes out of autogenerate.
"""
from alembic import op


revision = '9c4d2e6f8a31'
down_revision = '547091cee68a'
branch_labels = None
depends_on = None

INDEXES = {"ix_logical_address_hsa_id_trgm": "hsa_id", "ix_logical_address_name_trgm": "name"}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON logical_address USING gin (lower({column}) gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
