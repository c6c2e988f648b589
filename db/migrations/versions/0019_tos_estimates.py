"""tos_estimates: a TOS's yearly estimate of income and expenses and its execution

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tos_estimates",
        sa.Column("tos_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("income", sa.JSON(), nullable=False),
        sa.Column("expense", sa.JSON(), nullable=False),
        sa.Column("actual_income", sa.JSON(), nullable=True),
        sa.Column("actual_expense", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tos_id"], ["tos.id"], name=op.f("fk_tos_estimates_tos_id_tos"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tos_id", "year", name=op.f("pk_tos_estimates")),
    )


def downgrade() -> None:
    op.drop_table("tos_estimates")
