"""Service commands: ``serve`` (the web page and REST API) and the ``db`` group (schema migrations)."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.errors import OptionError
from corridor.interfaces.cli.common import DbOption, friendly, out

__all__ = ["db_app", "serve"]


@friendly
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web page (at /) and the REST API (docs at /docs); stored scenarios live in the --db database."""
    try:
        from corridor.interfaces.api import serving
    except ImportError as exc:
        raise OptionError("the REST API needs the web extra: pip install 'corridor[web]'") from exc
    from corridor import store
    from corridor.interfaces.api import app

    # Upgrading before listening makes a bad URL or an unreachable database fail here, not per request.
    revision = store.upgrade(url=db)
    out.print(f"[dim]Scenario store: {store.display_url(db)} at revision {revision}[/dim]")
    app.state.db_url = db  # the scenario endpoints' store calls use it (None: $CORRIDOR_DB, else the default)
    serving.run(host, port)


db_app = typer.Typer(no_args_is_help=True, help="The results and scenario database: its schema migrations.")


@db_app.command("upgrade")
@friendly
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Revision to reach; the newest by default.")] = "head",
    db: DbOption = None,
) -> None:
    """Apply the schema migrations a database lacks (each store command also does it on first use)."""
    from corridor import store

    before = store.revisions(db)[0]
    after = store.upgrade(revision, url=db)
    change = "already" if before == after else f"upgraded from {before or 'an empty database'} and now"
    out.print(f"{store.display_url(db)}: {change} at revision {after}")


@db_app.command("current")
@friendly
def db_current(db: DbOption = None) -> None:
    """Show the database's schema revision and the newest one this Corridor ships (changes nothing,
    creates nothing; exit 2 for a damaged or newer database)."""
    from corridor import store

    state, current, head = store.schema_state(db)
    where = store.display_url(db)
    if state == "missing":
        out.print(f"{where}: no database file (nothing created); the first store command creates it at {head}")
    elif state == "newer":
        raise OptionError(f"{where}: revision {current} is newer than this Corridor knows ({head}): upgrade Corridor")
    else:
        told = {"empty": "behind", "current": "up to date", "behind": "behind"}[state]
        hint = "" if state == "current" else f": run `corridor db upgrade` to reach {head}"
        out.print(f"{where}: revision {current or 'none (empty database)'}, {told}{hint}")


@db_app.command("downgrade")
@friendly
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Revision to return to; base removes every table.")],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask: drop the tables and rows it removes.")] = False,
) -> None:
    """Undo migrations down to REVISION, dropping the tables later ones added (with their rows).

    Asks first (at a terminal), or needs --yes; without a terminal and without --yes it refuses (exit 2).
    """
    import sys

    from corridor import store

    where = store.display_url(db)
    if not yes:
        if not sys.stdin.isatty():
            raise OptionError(f"downgrading {where} to {revision} deletes tables and their rows: add --yes")
        typer.confirm(
            f"Downgrade {where} to {revision}, deleting the tables and rows later revisions hold?", abort=True
        )
    after = store.downgrade(revision, url=db)
    out.print(f"{where}: now at revision {after or 'base (no tables)'}")
