"""expert questions: topics (seeded), experts' topics, questions and their threads, the
experts' group posts, FAQ entries and (SQLite) their full-text index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOPICS = [
    ("Юридические вопросы", "Legal"),
    ("Бухгалтерия и отчётность", "Accounting and reporting"),
    ("Гранты и финансирование", "Grants and funding"),
    ("Благоустройство", "Improvement projects"),
    ("SMM и медиа", "SMM and media"),
    ("Создание ТОС", "Creating a TOS"),
    ("Другое", "Other"),
]


def upgrade() -> None:
    topics = op.create_table(
        "question_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_ru", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_topics")),
    )
    op.bulk_insert(
        topics,
        [
            # No explicit ids: PostgreSQL's sequence would not know of them (ids come out
            # 1-7 in this order on an empty table either way).
            {"name_ru": ru, "name_en": en, "position": n, "hidden": False}
            for n, (ru, en) in enumerate(TOPICS, start=1)
        ],
    )
    op.create_table(
        "expert_topics",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["question_topics.id"],
            name=op.f("fk_expert_topics_topic_id_question_topics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_expert_topics_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "topic_id", name=op.f("pk_expert_topics")),
    )
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.BigInteger(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("show_contacts", sa.Boolean(), nullable=False),
        sa.Column("may_publish", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expert_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nudged_experts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("nudged_admins_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_used", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=True),
        sa.Column("forum_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("forum_thread_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asker_id"],
            ["users.id"],
            name=op.f("fk_questions_asker_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["users.id"],
            name=op.f("fk_questions_expert_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["question_topics.id"], name=op.f("fk_questions_topic_id_question_topics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_asker_id"), ["asker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_questions_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_questions_topic_id"), ["topic_id"], unique=False)
        batch_op.create_index(
            "ix_questions_status_waiting", ["status", "waiting_since"], unique=False
        )
    op.create_table(
        "question_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_question_messages_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_messages_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_messages")),
    )
    with op.batch_alter_table("question_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_messages_question_id"), ["question_id"], unique=False
        )
    op.create_table(
        "question_posts",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_posts_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name=op.f("pk_question_posts")),
    )
    with op.batch_alter_table("question_posts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_posts_question_id"), ["question_id"], unique=False
        )
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("expert_id", sa.BigInteger(), nullable=True),
        sa.Column("show_expert", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["users.id"],
            name=op.f("fk_faq_entries_expert_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_faq_entries_question_id_questions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["question_topics.id"],
            name=op.f("fk_faq_entries_topic_id_question_topics"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_entries")),
        sa.UniqueConstraint("question_id", name=op.f("uq_faq_entries_question_id")),
    )
    with op.batch_alter_table("faq_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_faq_entries_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_faq_entries_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_faq_entries_topic_id"), ["topic_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # Published entries' search terms (bot/services/faq_search.py); rowid = the entry's id.
        op.execute(
            "CREATE VIRTUAL TABLE faq_fts USING fts5("
            "q_exact, q_loose, a_exact, a_loose, tokenize = 'unicode61 remove_diacritics 0')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS faq_fts")
    with op.batch_alter_table("faq_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_entries_topic_id"))
        batch_op.drop_index(batch_op.f("ix_faq_entries_status"))
        batch_op.drop_index(batch_op.f("ix_faq_entries_expert_id"))
    op.drop_table("faq_entries")
    with op.batch_alter_table("question_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_posts_question_id"))
    op.drop_table("question_posts")
    with op.batch_alter_table("question_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_messages_question_id"))
    op.drop_table("question_messages")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_status_waiting")
        batch_op.drop_index(batch_op.f("ix_questions_topic_id"))
        batch_op.drop_index(batch_op.f("ix_questions_expert_id"))
        batch_op.drop_index(batch_op.f("ix_questions_asker_id"))
    op.drop_table("questions")
    op.drop_table("expert_topics")
    op.drop_table("question_topics")
