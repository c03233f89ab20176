"""Results of stored scenarios, each tied to the scenario version that produced it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the results table (a foreign key to the scenario's name and version)."""
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("years", sa.Float, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario", "version"], ["scenarios.name", "scenarios.version"], name="result_of_scenario_version"
        ),
    )
    op.create_index("results_by_scenario", "results", ["scenario", "version"])


def downgrade() -> None:
    """Drop the results table and its rows."""
    op.drop_index("results_by_scenario", table_name="results")
    op.drop_table("results")
