"""Fixtures shared by the test packages."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from corridor import settings
from helpers import Runner, run_cli

# CI replays the same examples on every run, so a red CI names a change, not a lucky draw. Local
# runs keep exploring (and keep what they find in .hypothesis/): that is where new
# counterexamples come from.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

_E2E_FIXTURES = {"cli", "server"}
_BROWSER_FIXTURES = {"browser", "page"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by what they need, from their fixtures: the markers follow the code, not a list."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if fixtures & {"pg_url", "pg_server"} or params.get("db_url") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if fixtures & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & (_E2E_FIXTURES | _BROWSER_FIXTURES):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def cli() -> Runner:
    """The ``corridor`` command, run in a subprocess as a user would."""
    return run_cli


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, editable copy of the embedded data directory."""
    monkeypatch.delenv(settings.DATA_ENV, raising=False)
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    return copy


PG_URL_ENV = "CORRIDOR_TEST_PG_URL"
PG_HOWTO = f"install Debian's postgresql and set {PG_URL_ENV} (or run .ci/run) to run these"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_server() -> str:
    """A reachable PostgreSQL server's URL: skipped without one, except in CI, where that fails."""
    from sqlalchemy import create_engine

    url = os.environ.get(PG_URL_ENV)
    problem = None if url else f"{PG_URL_ENV} is not set"
    if url:
        engine = create_engine(url)
        try:
            with engine.connect():
                pass
        except Exception as exc:
            problem = f"cannot connect to {PG_URL_ENV}: {str(exc).splitlines()[0]}"
        finally:
            engine.dispose()
    if problem is None:
        assert url is not None
        return url
    if _in_ci():
        pytest.fail(f"CI=true, so the PostgreSQL tests must run, but {problem}; .ci/run sets it up")
    pytest.skip(f"no PostgreSQL server ({problem}): {PG_HOWTO}")


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A URL on the test server whose tables live in a fresh schema, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from corridor import store

    schema = f"corridor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(pg_server).update_query_dict({"options": f"-csearch_path={schema}"})
    text = url.render_as_string(hide_password=False)
    yield text
    store.close(text)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: an SQLite file, and a PostgreSQL schema where a server is available."""
    from corridor import store

    if request.param == "postgresql":
        yield request.getfixturevalue("pg_url")
        return
    url = f"sqlite:///{tmp_path / 'store.db'}"
    yield url
    store.close(url)
