"""Baseline: the runs and scenarios tables, as Corridor created them before migrations.

A database made by that older code (``metadata.create_all``, no ``alembic_version`` table) is
adopted rather than refused: tables that exist are checked for the expected columns and kept
with their rows; missing ones are created. So every database reaches the same schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> dict[str, list[sa.Column[object] | sa.Constraint]]:
    return {
        "runs": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.Column("scenario", sa.String(200), nullable=False),
            sa.Column("file", sa.String(500), nullable=False),
            sa.Column("seed", sa.Integer, nullable=False),
            sa.Column("years", sa.Float, nullable=False),
            sa.Column("summary", sa.Text, nullable=False),
        ],
        "scenarios": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("deleted", sa.Boolean, nullable=False),
            sa.Column("yaml", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.UniqueConstraint("name", "version", name="one_row_per_version"),
        ],
    }


def upgrade() -> None:
    """Create the baseline tables that do not exist; check the ones that do."""
    from corridor.errors import StoreError

    inspector = sa.inspect(op.get_bind())
    for name, items in _tables().items():
        if not inspector.has_table(name):
            op.create_table(name, *items)
            continue
        expected = {c.name for c in items if isinstance(c, sa.Column)}
        missing = expected - {c["name"] for c in inspector.get_columns(name)}
        if missing:
            raise StoreError(
                f"the database has a '{name}' table Corridor did not make (no column {', '.join(sorted(missing))}); "
                "use another database"
            )


def downgrade() -> None:
    """Drop the baseline tables and their rows."""
    op.drop_table("scenarios")
    op.drop_table("runs")
