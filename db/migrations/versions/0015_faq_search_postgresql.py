"""FAQ search on PostgreSQL: a tsvector table of its own (what faq_fts is on SQLite)

The table has SQLite's index's name and columns (rowid = the entry's id, the search terms of
db/search_terms.py) plus `vector`: the question and answer through PostgreSQL's 'russian'
configuration and the terms through 'simple', weighted A-D like the SQLite index's columns,
under a GIN index. Entries already published are indexed here.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE faq_fts ("
        " rowid INTEGER PRIMARY KEY REFERENCES faq_entries (id) ON DELETE CASCADE,"
        " q_exact TEXT NOT NULL, q_loose TEXT NOT NULL,"
        " a_exact TEXT NOT NULL, a_loose TEXT NOT NULL, vector TSVECTOR NOT NULL)"
    )
    op.execute("CREATE INDEX faq_fts_vector ON faq_fts USING GIN (vector)")
    from db.repositories.faq import INDEX_POSTGRESQL
    from db.search_terms import document

    bind = op.get_bind()
    published = bind.execute(
        sa.text("SELECT id, question, answer FROM faq_entries WHERE status = 'published'")
    )
    for entry_id, question, answer in published.all():
        q, a = document(question), document(answer)
        bind.execute(
            INDEX_POSTGRESQL,
            {
                "id": entry_id,
                "question": question,
                "answer": answer,
                "q_exact": q.exact,
                "q_loose": q.loose,
                "a_exact": a.exact,
                "a_loose": a.loose,
            },
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS faq_fts")
