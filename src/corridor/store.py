"""Where scenarios and simulation results are kept: a real database through SQLAlchemy.

SQLite by default (a file, in write-ahead-log mode so readers never block the writer), any
database SQLAlchemy speaks — PostgreSQL included — by URL (``--db`` or ``CORRIDOR_DB``). Nothing
is overwritten: a run is a new row; saving a scenario again adds a version; deleting one adds a
tombstone version, so its history stays readable.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from corridor.errors import CorridorError

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


class ScenarioStoreError(CorridorError):
    """A scenario operation that the store refuses: ``status`` is 404 (not found) or 409 (exists)."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.status = status


def _scenarios_table(metadata: Any) -> Any:
    from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, Text, UniqueConstraint

    return Table(
        "scenarios",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(200), nullable=False),
        Column("version", Integer, nullable=False),
        Column("deleted", Boolean, nullable=False, default=False),
        Column("yaml", Text, nullable=False),
        Column("created_at", DateTime, nullable=False),
        UniqueConstraint("name", "version", name="one_row_per_version"),
    )


def _scenario_tables(url: str | None) -> tuple[Any, Any]:
    from sqlalchemy import MetaData

    engine = _engine(url)
    metadata = MetaData()
    table = _scenarios_table(metadata)
    metadata.create_all(engine)
    return engine, table


def _latest(conn: Any, table: Any, name: str) -> Any:
    from sqlalchemy import select

    query = select(table).where(table.c.name == name).order_by(table.c.version.desc()).limit(1)
    return conn.execute(query).first()


def save_scenario(name: str, text: str, *, create: bool, url: str | None = None) -> int:
    """Store a validated scenario as a new version; return the version number.

    ``create`` refuses a name that exists (and is not deleted); otherwise the name must exist.
    """
    from corridor.simulation.scenario import parse_scenario

    parse_scenario(text, name)  # reject what the simulator would reject, with line and field
    engine, table = _scenario_tables(url)
    try:
        with engine.begin() as conn:
            latest = _latest(conn, table, name)
            alive = latest is not None and not latest.deleted
            if create and alive:
                raise ScenarioStoreError(f"scenario '{name}' exists; update it to add a version", 409)
            if not create and not alive:
                raise ScenarioStoreError(f"no scenario '{name}'")
            version = 1 if latest is None else latest.version + 1
            row = {
                "name": name,
                "version": version,
                "deleted": False,
                "yaml": text,
                "created_at": datetime.now(UTC).replace(tzinfo=None),
            }
            conn.execute(table.insert().values(**row))
    finally:
        engine.dispose()
    return version


def delete_scenario(name: str, url: str | None = None) -> int:
    """Mark a scenario deleted with a tombstone version; its earlier versions stay readable."""
    engine, table = _scenario_tables(url)
    try:
        with engine.begin() as conn:
            latest = _latest(conn, table, name)
            if latest is None or latest.deleted:
                raise ScenarioStoreError(f"no scenario '{name}'")
            row = {
                "name": name,
                "version": latest.version + 1,
                "deleted": True,
                "yaml": "",
                "created_at": datetime.now(UTC).replace(tzinfo=None),
            }
            conn.execute(table.insert().values(**row))
            return int(latest.version + 1)
    finally:
        engine.dispose()


def get_scenario(name: str, version: int | None = None, url: str | None = None) -> dict[str, Any]:
    """A scenario's latest (or given) version: name, version, yaml, created_at."""
    from sqlalchemy import select

    engine, table = _scenario_tables(url)
    try:
        with engine.connect() as conn:
            if version is None:
                row = _latest(conn, table, name)
            else:
                query = select(table).where(table.c.name == name, table.c.version == version)
                row = conn.execute(query).first()
    finally:
        engine.dispose()
    if row is None or (row.deleted and version is None):
        raise ScenarioStoreError(f"no scenario '{name}'" + (f" version {version}" if version else ""))
    return {
        "name": row.name,
        "version": row.version,
        "deleted": row.deleted,
        "yaml": row.yaml,
        "created_at": row.created_at.isoformat(),
    }


def list_scenarios(url: str | None = None) -> list[dict[str, Any]]:
    """Every live scenario with its latest version number."""
    from sqlalchemy import func, select

    engine, table = _scenario_tables(url)
    try:
        with engine.connect() as conn:
            latest = select(table.c.name, func.max(table.c.version).label("version")).group_by(table.c.name)
            rows = conn.execute(latest).all()
            out = []
            for name, version in rows:
                row = conn.execute(select(table).where(table.c.name == name, table.c.version == version)).first()
                if row is not None and not row.deleted:
                    out.append({"name": name, "version": version, "created_at": row.created_at.isoformat()})
    finally:
        engine.dispose()
    return sorted(out, key=lambda r: r["name"])
