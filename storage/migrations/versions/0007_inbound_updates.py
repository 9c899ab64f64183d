"""updates are journaled before they are confirmed

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 03:24:33.025557
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbound_updates")),
    )
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_updates_processed_at"), ["processed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbound_updates_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inbound_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_updates_user_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_updates_processed_at"))
    op.drop_table("inbound_updates")
