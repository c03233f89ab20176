"""The store on every backend (SQLite file, PostgreSQL server): versions, tombstones, runs, results."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor import settings, store
from corridor.errors import ConflictError, DataFileError, NotFoundError, OptionError, StoreError

BASE = (settings.data_dir() / "scenarios" / "titr-2024-base.yaml").read_text(encoding="utf-8")
TRIPLE = (settings.data_dir() / "scenarios" / "titr-2030-triple.yaml").read_text(encoding="utf-8")


def test_saving_again_adds_a_version_and_keeps_the_old_one(db_url: str) -> None:
    assert store.save_scenario("base", BASE, create=True, url=db_url) == 1
    assert store.save_scenario("base", TRIPLE, create=False, url=db_url) == 2
    assert store.get_scenario("base", url=db_url)["yaml"] == TRIPLE
    assert store.get_scenario("base", 1, url=db_url)["yaml"] == BASE
    assert [(s["name"], s["version"]) for s in store.list_scenarios(db_url)] == [("base", 2)]


def test_delete_is_a_tombstone_and_a_new_create_continues_the_history(db_url: str) -> None:
    store.save_scenario("base", BASE, create=True, url=db_url)
    assert store.delete_scenario("base", db_url) == 2
    with pytest.raises(NotFoundError):
        store.get_scenario("base", url=db_url)
    assert store.get_scenario("base", 2, url=db_url)["deleted"] is True
    assert store.list_scenarios(db_url) == []
    assert store.save_scenario("base", TRIPLE, create=True, url=db_url) == 3
    assert store.get_scenario("base", 1, url=db_url)["yaml"] == BASE


@pytest.mark.parametrize(
    ("write", "error"),
    [
        (lambda url: store.save_scenario("base", BASE, create=True, url=url), ConflictError),
        (lambda url: store.save_scenario("other", BASE, create=False, url=url), NotFoundError),
        (lambda url: store.delete_scenario("other", url), NotFoundError),
        (lambda url: store.save_result("base", 7, {}, years=1, seed=0, url=url), NotFoundError),
    ],
)
def test_refused_writes_change_nothing(db_url: str, write: object, error: type[Exception]) -> None:
    store.save_scenario("base", BASE, create=True, url=db_url)
    with pytest.raises(error):
        write(db_url)  # type: ignore[operator]
    assert [(s["name"], s["version"]) for s in store.list_scenarios(db_url)] == [("base", 1)]
    assert store.load_results("base", url=db_url) == []


def test_an_invalid_scenario_is_refused_before_anything_is_stored(db_url: str) -> None:
    with pytest.raises(DataFileError, match="year"):
        store.save_scenario("bad", "name: n\nyear: 1900\ndemand: []\n", create=True, url=db_url)
    assert store.list_scenarios(db_url) == []


def test_results_name_the_version_they_came_from(db_url: str) -> None:
    store.save_scenario("base", BASE, create=True, url=db_url)
    store.save_scenario("base", TRIPLE, create=False, url=db_url)
    first = store.save_result("base", 1, {"delivered_teu": 55_000}, years=1, seed=0, url=db_url)
    second = store.save_result("base", 2, {"delivered_teu": 139_000}, years=0.5, seed=3, url=db_url)
    assert second > first
    [only] = store.load_results("base", 2, url=db_url)
    assert (only["id"], only["years"], only["seed"], only["summary"]) == (second, 0.5, 3, {"delivered_teu": 139_000})
    assert [r["version"] for r in store.load_results("base", url=db_url)] == [1, 2]


def test_runs_are_appended_and_filtered_by_scenario(db_url: str) -> None:
    names = ["a", "b", "Актау"]  # non-ASCII survives the JSON summary
    runs = [{"scenario": s, "file": f"{s}.yaml", "seed": k, "years": 1.0} for k, s in enumerate(names)]
    ids = store.save_runs(runs, db_url)
    ids += store.save_runs(runs[:1], db_url)
    assert len(set(ids)) == 4 and ids == sorted(ids)
    assert [r["seed"] for r in store.load_runs(db_url, scenario="a")] == [0, 0]
    assert [r["scenario"] for r in store.load_runs(db_url)] == ["a", "b", "Актау", "a"]


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unavailable"):
        store.list_scenarios(f"sqlite:///{tmp_path}/no/such/dir/x.db")


def test_an_unreachable_server_is_named_to_the_operator_only() -> None:
    """The message (what an API client sees) names no host, port or user; the detail (CLI, log) may."""
    url = "postgresql+psycopg://secretuser:pw@127.0.0.1:1/corridor?connect_timeout=2"
    with pytest.raises(StoreError, match="unavailable") as failed:
        store.list_scenarios(url)
    store.close(url)
    message = str(failed.value)
    assert "127.0.0.1" not in message and "secretuser" not in message
    assert "5432" not in message and ":1" not in message and failed.value.detail


def test_a_malformed_url_is_bad_input() -> None:
    with pytest.raises(OptionError, match="not a database URL"):
        store.list_scenarios("nosuchdialect://x")
