"""Alembic's entry point: apply revisions on the connection ``corridor.store`` hands over.

The store opens the connection, takes the database's write lock and begins the transaction
before calling Alembic, so concurrent processes upgrading the same database apply each
revision once, and a failed upgrade leaves nothing half-done (where the database has
transactional DDL: SQLite and PostgreSQL do).
"""

from __future__ import annotations

from alembic import context


def run() -> None:
    """Apply the revisions Alembic was asked for on the store's connection (online mode only)."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run Corridor's migrations with `corridor db upgrade`, not the alembic command")
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


run()
