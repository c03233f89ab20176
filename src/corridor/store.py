"""Where scenarios and simulation results are kept: a real database through SQLAlchemy.

SQLite by default (a file, in write-ahead-log mode so readers never block the writer), any
database SQLAlchemy speaks — PostgreSQL included — by URL (``--db`` or ``CORRIDOR_DB``). Nothing
is overwritten: a run is a new row; saving a scenario again adds a version; deleting one adds a
tombstone version, so its history stays readable; a stored scenario's results name the version
they were computed from.

The schema is managed by the Alembic migrations in ``corridor/migrations``: the first use of a
database in a process upgrades it to the newest revision (``corridor db upgrade`` does it
explicitly). A database made before migrations existed (same tables, no ``alembic_version``) is
adopted by the baseline revision with its rows.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

from corridor import settings
from corridor.errors import ConflictError, CorridorError, NotFoundError, OptionError, StoreError

__all__ = [
    "MIGRATIONS",
    "SQLITE_BUSY_TIMEOUT_S",
    "WRITE_ATTEMPTS",
    "close",
    "database_url",
    "delete_scenario",
    "display_url",
    "downgrade",
    "get_scenario",
    "list_scenarios",
    "load_results",
    "load_runs",
    "revisions",
    "save_result",
    "save_runs",
    "save_scenario",
    "schema",
    "schema_state",
    "upgrade",
]

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 30.0
"""How long an SQLite writer waits for another process's write to finish before giving up."""
WRITE_ATTEMPTS = 20
"""Tries of a scenario write that collides with a concurrent one (same name, same new version)."""
_MIGRATION_LOCK = 0x636F72726964
"""PostgreSQL advisory-lock key ("corrid") that serialises concurrent upgrades of one database."""

P = ParamSpec("P")
T = TypeVar("T")


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else ``$CORRIDOR_DB``, else the SQLite file in the working directory."""
    return url or os.environ.get(settings.DB_ENV) or settings.DEFAULT_DB_URL


def display_url(url: str | None = None) -> str:
    """The database URL with its password hidden, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return str(make_url(database_url(url)).render_as_string(hide_password=True))
    except ArgumentError:
        return "a malformed URL"


def _guarded(function: Callable[P, T]) -> Callable[P, T]:
    """Turn database failures (unreachable server, damaged file, bad URL, newer schema) into a StoreError."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        from alembic.util import CommandError
        from sqlalchemy.exc import (
            ArgumentError,
            DatabaseError,
            DataError,
            InterfaceError,
            NoSuchModuleError,
            OperationalError,
        )

        try:
            return function(*args, **kwargs)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise OptionError(f"not a database URL Corridor can use: {exc}") from None
        except DataError:
            raise CorridorError("the database refused a value (text with a NUL character?)") from None
        except (OperationalError, InterfaceError) as exc:
            raise _logged(StoreError("the database is unavailable; retry later", detail=_first(exc))) from None
        except DatabaseError as exc:
            message = "the database is damaged or is not a Corridor database"
            raise _logged(StoreError(message, detail=_first(exc))) from None
        except CommandError as exc:
            message = "the database's schema is newer than this Corridor knows (or unknown): upgrade Corridor"
            raise _logged(StoreError(message, detail=str(exc))) from None

    return run


def _first(exc: Any) -> str:
    """The driver's first line about a failure (may name host, port, user: for the operator only)."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def _logged(error: StoreError) -> StoreError:
    import logging

    logging.getLogger(__name__).warning("%s: %s", error, error.detail)
    return error


_engines: dict[str, Any] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


def _forget_pools() -> None:
    """In a forked child, drop the parent's pooled connections (sharing them corrupts both)."""
    global _lock
    _lock = threading.Lock()
    for engine in _engines.values():
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_pools)


def _connect(url: str) -> Any:
    """The process's engine for ``url`` (created once), schema not checked."""
    engine = _engines.get(url)
    if engine is None:
        engine = _create_engine(url)
        _engines[url] = engine
    return engine


def _create_engine(url: str) -> Any:
    from sqlalchemy import create_engine, event

    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _setup(connection: Any, _record: Any) -> None:
        # Transactions are begun below, not by the sqlite3 module, so a writer can take the
        # write lock up front: a deferred transaction that read first and then writes fails at
        # once with "database is locked" when another process wrote meanwhile, whatever the timeout.
        connection.isolation_level = None
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("corridor_write") else "BEGIN")

    return engine


def _engine(url: str | None) -> Any:
    """The engine for ``url``, its database upgraded to the newest revision on first use in this process."""
    key = database_url(url)
    with _lock:
        engine = _connect(key)
        if key not in _migrated:
            _migrate(engine, "upgrade", "head")
            _migrated.add(key)
    return engine


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _migrate(engine: Any, direction: str, revision: str) -> None:
    """Upgrade or downgrade in one transaction that first takes the database's write lock."""
    from alembic import command

    with engine.connect() as conn:
        conn.execution_options(corridor_write=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            getattr(command, direction)(_alembic_config(conn), revision)


@_guarded
def revisions(url: str | None = None) -> tuple[str | None, str]:
    """The database's current migration revision (None if it has none) and the newest one shipped."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None  # the package ships at least the baseline revision
    with _lock:
        engine = _connect(database_url(url))
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision(), head


SchemaState = Literal["missing", "empty", "current", "behind", "newer"]


@_guarded
def schema_state(url: str | None = None) -> tuple[SchemaState, str | None, str]:
    """Where a database stands against this Corridor's migrations, changing nothing.

    Returns ``(state, revision, head)``: ``missing`` (an SQLite file that does not exist: none is
    created), ``empty`` (no revision yet), ``current``, ``behind`` (``corridor db upgrade``
    brings it to ``head``) or ``newer`` (a revision this Corridor does not ship: made by a newer one).

    Raises
    ------
    StoreError
        If the database is unreachable, or damaged (SQLite's ``quick_check`` fails).
    """
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import make_url

    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None  # the package ships at least the baseline revision
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).is_file():
            return "missing", None, head
        _quick_check(url)
    current = revisions(url)[0]
    known = {rev.revision for rev in script.walk_revisions()}
    if current is None:
        return "empty", None, head
    if current == head:
        return "current", current, head
    return ("behind" if current in known else "newer"), current, head


def _quick_check(url: str | None) -> None:
    """SQLite's own consistency check of the file (reads every page: seconds for a large file)."""
    with _lock:
        engine = _connect(database_url(url))
    with engine.connect() as conn:
        answer = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
    if answer != ["ok"]:
        raise _logged(StoreError("the database is damaged (SQLite quick_check failed)", detail="; ".join(answer[:3])))


@_guarded
def upgrade(revision: str = "head", *, url: str | None = None) -> str | None:
    """Upgrade the database to ``revision`` (the newest by default); return the revision it is at."""
    key = database_url(url)
    with _lock:
        _migrate(_connect(key), "upgrade", revision)
        if revision == "head":
            _migrated.add(key)
    return revisions(url)[0]


@_guarded
def downgrade(revision: str, *, url: str | None = None) -> str | None:
    """Downgrade the database to ``revision`` (``base``: no tables); return the revision it is at.

    Downgrading drops the tables and columns later revisions added, with their rows.
    """
    key = database_url(url)
    with _lock:
        _migrate(_connect(key), "downgrade", revision)
        _migrated.discard(key)
    return revisions(url)[0]


def close(url: str | None = None) -> None:
    """Close this process's pooled connections to a database; the next call reconnects."""
    key = database_url(url)
    with _lock:
        engine = _engines.pop(key, None)
        _migrated.discard(key)
    if engine is not None:
        engine.dispose()


@functools.cache
def schema() -> Any:
    """The tables the store queries, as SQLAlchemy ``MetaData`` (the newest revision builds exactly these)."""
    from sqlalchemy import (
        Boolean,
        Column,
        DateTime,
        Float,
        ForeignKeyConstraint,
        Index,
        Integer,
        MetaData,
        String,
        Table,
        Text,
        UniqueConstraint,
    )

    metadata = MetaData()
    Table(
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
    Table(
        "scenarios",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(200), nullable=False),
        Column("version", Integer, nullable=False),
        Column("deleted", Boolean, nullable=False),
        Column("yaml", Text, nullable=False),
        Column("created_at", DateTime, nullable=False),
        UniqueConstraint("name", "version", name="one_row_per_version"),
    )
    Table(
        "results",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("scenario", String(200), nullable=False),
        Column("version", Integer, nullable=False),
        Column("created_at", DateTime, nullable=False),
        Column("years", Float, nullable=False),
        Column("seed", Integer, nullable=False),
        Column("summary", Text, nullable=False),
        ForeignKeyConstraint(
            ["scenario", "version"], ["scenarios.name", "scenarios.version"], name="result_of_scenario_version"
        ),
        Index("results_by_scenario", "scenario", "version"),
    )
    return metadata


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _write(url: str | None, action: Callable[[Any, Any], T]) -> T:
    """Run ``action(connection, tables)`` in a write transaction, again if a concurrent write collided.

    Two writers adding the next version of one scenario both pick the same number; the
    database's unique constraint refuses the second, which then re-reads and takes the next.
    """
    from sqlalchemy.exc import IntegrityError

    engine = _engine(url)
    for _ in range(WRITE_ATTEMPTS):
        try:
            with engine.connect() as conn:
                conn.execution_options(corridor_write=True)
                with conn.begin():
                    return action(conn, schema().tables)
        except IntegrityError:
            continue
    raise ConflictError("the write kept colliding with concurrent writes of the same scenario; try again")


def _read(url: str | None, action: Callable[[Any, Any], T]) -> T:
    """Run ``action(connection, tables)`` in a read transaction (one consistent snapshot)."""
    with _engine(url).connect() as conn, conn.begin():
        return action(conn, schema().tables)


@_guarded
def save_runs(summaries: list[dict[str, Any]], url: str | None = None) -> list[int]:
    """Append run summaries; return their ids."""

    def insert(conn: Any, tables: Any) -> list[int]:
        runs = tables["runs"]
        ids = []
        for s in summaries:
            row = {
                "created_at": _now(),
                "scenario": s["scenario"],
                "file": s["file"],
                "seed": s["seed"],
                "years": s["years"],
                "summary": json.dumps(s, ensure_ascii=False),
            }
            ids.append(int(conn.execute(runs.insert().values(**row)).inserted_primary_key[0]))
        return ids

    return _write(url, insert)


@_guarded
def load_runs(url: str | None = None, scenario: str | None = None) -> list[dict[str, Any]]:
    """Stored run summaries, oldest first (optionally of one scenario), each with its ``id``."""
    from sqlalchemy import select

    def query(conn: Any, tables: Any) -> list[dict[str, Any]]:
        runs = tables["runs"]
        chosen = select(runs).order_by(runs.c.id)
        if scenario is not None:
            chosen = chosen.where(runs.c.scenario == scenario)
        return [{"id": r.id, **json.loads(r.summary)} for r in conn.execute(chosen)]

    return _read(url, query)


def _latest(conn: Any, table: Any, name: str) -> Any:
    from sqlalchemy import select

    query = select(table).where(table.c.name == name).order_by(table.c.version.desc()).limit(1)
    return conn.execute(query).first()


@_guarded
def save_scenario(name: str, text: str, *, create: bool, url: str | None = None) -> int:
    """Store a validated scenario as a new version; return the version number.

    ``create`` refuses a name that exists (and is not deleted); otherwise the name must exist.
    """
    from corridor.simulation.schema import parse_scenario

    parse_scenario(text, name)  # reject what the simulator would reject, with line and field

    def insert(conn: Any, tables: Any) -> int:
        table = tables["scenarios"]
        latest = _latest(conn, table, name)
        alive = latest is not None and not latest.deleted
        if create and alive:
            raise ConflictError(f"scenario '{name}' exists; update it to add a version")
        if not create and not alive:
            raise NotFoundError(f"no scenario '{name}'")
        version = 1 if latest is None else int(latest.version) + 1
        row = {"name": name, "version": version, "deleted": False, "yaml": text, "created_at": _now()}
        conn.execute(table.insert().values(**row))
        return version

    return _write(url, insert)


@_guarded
def delete_scenario(name: str, url: str | None = None) -> int:
    """Mark a scenario deleted with a tombstone version; its earlier versions stay readable."""

    def insert(conn: Any, tables: Any) -> int:
        table = tables["scenarios"]
        latest = _latest(conn, table, name)
        if latest is None or latest.deleted:
            raise NotFoundError(f"no scenario '{name}'")
        version = int(latest.version) + 1
        conn.execute(
            table.insert().values(name=name, version=version, deleted=True, yaml="", created_at=_now()),
        )
        return version

    return _write(url, insert)


@_guarded
def get_scenario(name: str, version: int | None = None, url: str | None = None) -> dict[str, Any]:
    """A scenario's latest (or given) version: name, version, deleted, yaml, created_at."""
    from sqlalchemy import select

    def query(conn: Any, tables: Any) -> Any:
        table = tables["scenarios"]
        if version is None:
            return _latest(conn, table, name)
        return conn.execute(select(table).where(table.c.name == name, table.c.version == version)).first()

    row = _read(url, query)
    if row is None or (row.deleted and version is None):
        raise NotFoundError(f"no scenario '{name}'" + (f" version {version}" if version else ""))
    return {
        "name": row.name,
        "version": row.version,
        "deleted": row.deleted,
        "yaml": row.yaml,
        "created_at": row.created_at.isoformat(),
    }


@_guarded
def list_scenarios(url: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Live scenarios with their latest version number, by name: ``limit`` of them from ``offset``."""
    from sqlalchemy import and_, func, select

    def query(conn: Any, tables: Any) -> list[dict[str, Any]]:
        table = tables["scenarios"]
        latest = select(table.c.name, func.max(table.c.version).label("version")).group_by(table.c.name).subquery()
        rows = conn.execute(
            select(table.c.name, table.c.version, table.c.created_at)
            .join(latest, and_(table.c.name == latest.c.name, table.c.version == latest.c.version))
            .where(table.c.deleted.is_(False))
            .order_by(table.c.name)
            .limit(limit)
            .offset(offset)
        )
        return [{"name": r.name, "version": r.version, "created_at": r.created_at.isoformat()} for r in rows]

    return _read(url, query)


@_guarded
def save_result(
    name: str, version: int, summary: dict[str, Any], *, years: float, seed: int, url: str | None = None
) -> int:
    """Store the result of simulating version ``version`` of a stored scenario; return its id."""

    def insert(conn: Any, tables: Any) -> int:
        from sqlalchemy import select

        scenarios = tables["scenarios"]
        found = select(scenarios.c.id).where(scenarios.c.name == name, scenarios.c.version == version)
        if conn.execute(found).first() is None:
            raise NotFoundError(f"no scenario '{name}' version {version}")
        row = {
            "scenario": name,
            "version": version,
            "created_at": _now(),
            "years": years,
            "seed": seed,
            "summary": json.dumps(summary, ensure_ascii=False),
        }
        return int(conn.execute(tables["results"].insert().values(**row)).inserted_primary_key[0])

    return _write(url, insert)


@_guarded
def load_results(
    name: str, version: int | None = None, url: str | None = None, *, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Stored results of a scenario (of every version, or one), oldest first: ``limit`` of them from ``offset``."""
    from sqlalchemy import select

    def query(conn: Any, tables: Any) -> list[dict[str, Any]]:
        results = tables["results"]
        chosen = select(results).where(results.c.scenario == name).order_by(results.c.id).limit(limit).offset(offset)
        if version is not None:
            chosen = chosen.where(results.c.version == version)
        return [
            {
                "id": r.id,
                "version": r.version,
                "created_at": r.created_at.isoformat(),
                "years": r.years,
                "seed": r.seed,
                "summary": json.loads(r.summary),
            }
            for r in conn.execute(chosen)
        ]

    return _read(url, query)
