"""Several processes writing one database at once: no "database is locked", no lost or doubled version."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import Counter, defaultdict
from functools import partial

import pytest

from corridor import settings, store
from corridor.errors import ConflictError

pytestmark = [pytest.mark.slow]  # writer processes racing on one database

BASE = (settings.data_dir() / "scenarios" / "titr-2024-base.yaml").read_text(encoding="utf-8")
WRITERS = 4
WRITES = 75
SHARED = ("shared-a", "shared-b")

Write = tuple[str, int, str]


def _writer(url: str, writer: int) -> list[Write]:
    """Race for the shared names, then add versions to them and create names of its own."""
    done = []
    for name in SHARED:
        text = f"{BASE}# {name} created by writer {writer}\n"
        with contextlib.suppress(ConflictError):  # another writer may have created it first
            done.append((name, store.save_scenario(name, text, create=True, url=url), text))
    for k in range(WRITES):
        text = f"{BASE}# writer {writer}, write {k}\n"
        own = k % 3 == 0
        name = f"own-{writer}-{k}" if own else SHARED[k % 2]
        done.append((name, store.save_scenario(name, text, create=own, url=url), text))
    return done


@pytest.mark.parametrize("warm", [False, True], ids=["first-use-races-the-upgrade", "parent-connected-before-fork"])
def test_concurrent_writers_keep_every_version(db_url: str, warm: bool) -> None:
    if warm:
        store.list_scenarios(db_url)  # pooled connections the forked writers must not share
    with multiprocessing.get_context("fork").Pool(WRITERS) as pool:
        acked = [w for done in pool.map(partial(_writer, db_url), range(WRITERS)) for w in done]
    creates = Counter(name for name, version, _ in acked if version == 1 and name in SHARED)
    assert creates == dict.fromkeys(SHARED, 1)  # exactly one writer created each shared name
    versions: dict[str, list[int]] = defaultdict(list)
    for name, version, text in acked:
        versions[name].append(version)
        assert store.get_scenario(name, version, url=db_url)["yaml"] == text
    for name, numbers in versions.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), name
    assert len(acked) == WRITERS * WRITES + len(SHARED)
    assert {s["name"]: s["version"] for s in store.list_scenarios(db_url)} == {n: len(v) for n, v in versions.items()}
