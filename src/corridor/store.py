"""Where simulation results are kept: a real database through SQLAlchemy.

SQLite by default (a file, in write-ahead-log mode so readers never block the writer), any
database SQLAlchemy speaks — PostgreSQL included — by URL (``--db`` or ``CORRIDOR_DB``). Runs are
only ever added, never overwritten: each has its own id and time stamp.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

DB_ENV = "CORRIDOR_DB"
DEFAULT_URL = "sqlite:///corridor-results.db"


def _engine(url: str | None) -> Any:
    from sqlalchemy import create_engine, event

    engine = create_engine(url or os.environ.get(DB_ENV) or DEFAULT_URL)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _wal(connection: Any, _record: Any) -> None:
            connection.execute("PRAGMA journal_mode=WAL")

    return engine


def _runs_table(metadata: Any) -> Any:
    from sqlalchemy import Column, DateTime, Float, Integer, String, Table, Text

    return Table(
        "runs",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("created_at", DateTime, nullable=False),
        Column("scenario", String(200), nullable=False),
        Column("file", String(500), nullable=False),
        Column("seed", Integer, nullable=False),
        Column("years", Float, nullable=False),
        Column("summary", Text, nullable=False),
    )


def save_runs(summaries: list[dict[str, Any]], url: str | None = None) -> list[int]:
    """Append run summaries; return their ids."""
    from sqlalchemy import MetaData

    engine = _engine(url)
    metadata = MetaData()
    runs = _runs_table(metadata)
    metadata.create_all(engine)
    ids = []
    with engine.begin() as conn:
        for s in summaries:
            row = {
                "created_at": datetime.now(UTC).replace(tzinfo=None),
                "scenario": s["scenario"],
                "file": s["file"],
                "seed": s["seed"],
                "years": s["years"],
                "summary": json.dumps(s, ensure_ascii=False),
            }
            ids.append(int(conn.execute(runs.insert().values(**row)).inserted_primary_key[0]))
    engine.dispose()
    return ids


def load_runs(url: str | None = None, scenario: str | None = None) -> list[dict[str, Any]]:
    """Stored run summaries, oldest first (optionally of one scenario), each with its ``id``."""
    from sqlalchemy import MetaData, select

    engine = _engine(url)
    metadata = MetaData()
    runs = _runs_table(metadata)
    metadata.create_all(engine)
    query = select(runs).order_by(runs.c.id)
    if scenario is not None:
        query = query.where(runs.c.scenario == scenario)
    with engine.connect() as conn:
        rows = [{"id": r.id, **json.loads(r.summary)} for r in conn.execute(query)]
    engine.dispose()
    return rows
