"""A user's proven e-mail address: only an address the user proved they read (a mailed link)
makes them a system's contact.

Revision ID: 5495f5242e83
Revises: 7c5a175d2e92
Create Date: 2026-12-08 03:20:35.157967

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5495f5242e83'
down_revision = '7c5a175d2e92'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: a batch recreate on SQLite would drop the case-insensitive e-mail index.
    op.add_column('user_account', sa.Column('verified_email', sa.String(length=254), nullable=True))


def downgrade():
    # Plain DROP COLUMN too (SQLite ≥ 3.35): a batch recreate would drop the expression indexes that the
    # earlier migrations' downgrades then drop by name.
    op.drop_column('user_account', 'verified_email')
