"""Trust boundaries: session generations, forms kept on the server, instance change requests, the
back office's search text

Revision ID: d4e8b2f61a07
Revises: b7f3a1c92e44
Create Date: 2026-12-01 21:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd4e8b2f61a07'
down_revision = 'b7f3a1c92e44'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch): a rebuild of user_account on SQLite would drop its lower() indexes.
    op.add_column("user_account", sa.Column("session_generation", sa.Integer(), server_default=sa.text("0"),
                                            nullable=False))
    op.add_column("bs_order", sa.Column("search_text", sa.Text(), nullable=True))
    op.create_table(
        "kept_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_kept_form_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_form")),
        sa.UniqueConstraint("user_id", "key", name="uq_kept_form_user_key"),
    )
    op.create_table(
        "instance_change_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_name", sa.String(length=200), nullable=False),
        sa.Column("requested_by_email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("proposed", sa.JSON(), nullable=False),
        sa.Column("status", sa.Enum("pending", "approved", "rejected", name="change_request_status",
                                    native_enum=False, length=20), nullable=False),
        sa.Column("decided_by_name", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["instance_id"], ["system_instance.id"],
                                name=op.f("fk_instance_change_request_instance_id_system_instance"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user_account.id"],
                                name=op.f("fk_instance_change_request_requested_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instance_change_request")),
    )
    op.create_index("ix_instance_change_request_status", "instance_change_request", ["status", "created_at"])
    op.create_index(op.f("ix_instance_change_request_instance_id"), "instance_change_request", ["instance_id"])


def downgrade():
    op.drop_table("instance_change_request")
    op.drop_table("kept_form")
    with op.batch_alter_table("bs_order") as batch:
        batch.drop_column("search_text")
    op.drop_column("user_account", "session_generation")
