"""accountability buddies: invite links, agreement, what is shared, weekly updates

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 02:07:12.179277
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "buddy_links",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("buddy_id", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("share_streak", sa.Boolean(), nullable=False),
        sa.Column("share_commitment", sa.Boolean(), nullable=False),
        sa.Column("share_applications", sa.Boolean(), nullable=False),
        sa.Column("next_summary_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["buddy_id"],
            ["users.id"],
            name=op.f("fk_buddy_links_buddy_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_buddy_links_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buddy_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_buddy_links_token_hash")),
    )
    with op.batch_alter_table("buddy_links", schema=None) as batch_op:
        batch_op.create_index("ix_buddy_links_buddy_id_state", ["buddy_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_buddy_links_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_buddy_links_live_user_id",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("state != 'ended'"),
            postgresql_where=sa.text("state != 'ended'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("buddy_links", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_buddy_links_live_user_id",
            sqlite_where=sa.text("state != 'ended'"),
            postgresql_where=sa.text("state != 'ended'"),
        )
        batch_op.drop_index(batch_op.f("ix_buddy_links_user_id"))
        batch_op.drop_index("ix_buddy_links_buddy_id_state")

    op.drop_table("buddy_links")
