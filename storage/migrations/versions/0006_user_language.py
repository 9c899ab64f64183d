"""users choose their language; stored languages become the ones the bot speaks

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 02:14:35.996971
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # users.language held Telegram's raw language_code ("es-419", "fr"); from now on it is
    # the language the bot speaks, so existing rows say so (the bot reads either).
    op.execute("UPDATE users SET language = 'es' WHERE lower(language) LIKE 'es%'")
    op.execute("UPDATE users SET language = 'en' WHERE language <> 'es'")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language_chosen")
