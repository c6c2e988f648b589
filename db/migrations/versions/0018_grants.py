"""grants: the grant and contest calendar, and who wants its deadline reminders

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organiser", sa.String(length=200), nullable=False),
        sa.Column("eligible", sa.String(length=500), nullable=False),
        sa.Column("amount", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("region_code", sa.String(length=3), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_grants_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
    )
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_deadline"), ["deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_region_code"), ["region_code"], unique=False)
    op.create_table(
        "grant_subscriptions",
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grants.id"],
            name=op.f("fk_grant_subscriptions_grant_id_grants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_grant_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("grant_id", "user_id", name=op.f("pk_grant_subscriptions")),
    )
    with op.batch_alter_table("grant_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grant_subscriptions_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("grant_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_subscriptions_user_id"))
    op.drop_table("grant_subscriptions")
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_region_code"))
        batch_op.drop_index(batch_op.f("ix_grants_deadline"))
    op.drop_table("grants")
