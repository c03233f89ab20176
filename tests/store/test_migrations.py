"""Alembic migrations: empty databases reach the newest revision, older ones are adopted, base is reachable."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, inspect, text

from corridor import settings, store
from corridor.errors import StoreError
from helpers import Runner

BASE = (settings.data_dir() / "scenarios" / "titr-2024-base.yaml").read_text(encoding="utf-8")
TABLES = {"runs", "scenarios", "results"}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_an_empty_database_is_upgraded_to_the_newest_revision(db_url: str) -> None:
    current, head = store.revisions(db_url)
    assert current is None and _tables(db_url) == set()
    assert store.upgrade(url=db_url) == head
    assert _tables(db_url) == TABLES


def test_the_newest_revision_builds_exactly_the_tables_the_store_queries(db_url: str) -> None:
    store.upgrade(url=db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), store.schema()) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_removes_every_table_and_upgrade_rebuilds_them(db_url: str) -> None:
    store.save_scenario("base", BASE, create=True, url=db_url)  # first use upgrades
    assert store.downgrade("0001", url=db_url) == "0001"
    assert _tables(db_url) == {"runs", "scenarios"}
    assert store.get_scenario("base", url=db_url)["version"] == 1  # the first use upgrades again
    assert store.downgrade("base", url=db_url) is None
    assert _tables(db_url) == set()
    assert store.upgrade(url=db_url) == store.revisions(db_url)[1]
    assert store.list_scenarios(db_url) == []


def _old_database(url: str, tables: list[str]) -> None:
    """What Corridor made before migrations: ``create_all`` of the tables a command used, with rows."""
    engine = create_engine(url)
    made = [store.schema().tables[name] for name in tables]
    store.schema().create_all(engine, tables=made)
    now = datetime(2026, 1, 1)
    with engine.begin() as conn:
        if "runs" in tables:
            row = {"created_at": now, "scenario": "a", "file": "a.yaml", "seed": 1, "years": 1.0, "summary": "{}"}
            conn.execute(made[tables.index("runs")].insert().values(**row))
        if "scenarios" in tables:
            row = {"name": "old", "version": 1, "deleted": False, "yaml": BASE, "created_at": now}
            conn.execute(made[tables.index("scenarios")].insert().values(**row))
    engine.dispose()


@pytest.mark.parametrize("tables", [["runs"], ["scenarios"], ["runs", "scenarios"]])
def test_a_database_from_before_migrations_is_adopted_with_its_rows(db_url: str, tables: list[str]) -> None:
    _old_database(db_url, tables)
    assert store.revisions(db_url)[0] is None
    store.save_scenario("new", BASE, create=True, url=db_url)
    assert store.revisions(db_url)[0] == store.revisions(db_url)[1]
    assert _tables(db_url) == TABLES
    if "scenarios" in tables:
        assert store.get_scenario("old", url=db_url)["yaml"] == BASE
        assert store.save_scenario("old", BASE, create=False, url=db_url) == 2
    if "runs" in tables:
        assert [r["id"] for r in store.load_runs(db_url)] == [1]


def test_a_table_corridor_did_not_make_is_refused(db_url: str) -> None:
    engine = create_engine(db_url)
    Table("runs", MetaData(), Column("id", Integer, primary_key=True)).create(engine)
    engine.dispose()
    with pytest.raises(StoreError, match="'runs' table Corridor did not make"):
        store.list_scenarios(db_url)
    assert _tables(db_url) == {"runs"}  # the failed upgrade left nothing behind


def test_a_database_newer_than_this_corridor_is_refused(db_url: str) -> None:
    store.upgrade(url=db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    store.close(db_url)
    with pytest.raises(StoreError, match="newer than this Corridor"):
        store.list_scenarios(db_url)


def test_db_commands_show_and_apply_the_revision(cli: Runner, db_url: str) -> None:
    before = cli("db", "current", "--db", db_url)
    assert before.returncode == 0
    if db_url.startswith("sqlite"):
        assert "no database file (nothing created)" in before.stdout
        assert not Path(db_url.removeprefix("sqlite:///")).exists()
    else:
        assert "none (empty database), behind" in before.stdout
    assert "upgraded from an empty database" in cli("db", "upgrade", "--db", db_url).stdout
    assert "up to date" in cli("db", "current", "--db", db_url).stdout
    asked = cli("db", "downgrade", "base", "--db", db_url)  # no terminal to ask at: refused
    assert asked.returncode == 2 and "--yes" in asked.stderr
    assert "up to date" in cli("db", "current", "--db", db_url).stdout
    assert "now at revision base" in cli("db", "downgrade", "base", "--yes", "--db", db_url).stdout
    assert "corridor:corridor@" not in before.stdout  # passwords stay out of the output


def test_db_current_calls_a_newer_database_newer(cli: Runner, db_url: str) -> None:
    store.upgrade(url=db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = cli("db", "current", "--db", db_url)
    assert result.returncode == 2 and "newer than this Corridor" in result.stderr and "behind" not in result.stderr


def test_a_damaged_sqlite_file_is_reported_as_such(cli: Runner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'damaged.db'}"
    store.upgrade(url=url)
    store.close(url)
    path = tmp_path / "damaged.db"
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900  # the first page's b-tree header and cells
    path.write_bytes(bytes(data))
    result = cli("db", "current", "--db", url)
    assert result.returncode == 2 and "damaged" in result.stderr, result.stderr
    with pytest.raises(StoreError, match="damaged"):
        store.list_scenarios(url)
    (tmp_path / "garbage.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="damaged or is not a Corridor database"):
        store.list_scenarios(f"sqlite:///{tmp_path / 'garbage.db'}")


def test_db_commands_refuse_a_bad_url_with_exit_2(cli: Runner) -> None:
    result = cli("db", "current", "--db", "nosuchdialect://x")
    assert result.returncode == 2 and "not a database URL" in result.stderr


def test_serve_refuses_an_unusable_database_before_listening(cli: Runner, tmp_path: Path) -> None:
    result = cli("serve", "--port", "1", "--db", f"sqlite:///{tmp_path}/no/such/dir/x.db")
    assert result.returncode == 2 and "the database is unavailable" in result.stderr
