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
        import uvicorn
    except ImportError as exc:
        raise OptionError("the REST API needs the web extra: pip install 'corridor[web]'") from exc
    from corridor import store
    from corridor.interfaces.api import app

    # Upgrading before listening makes a bad URL or an unreachable database fail here, not per request.
    revision = store.upgrade(url=db)
    out.print(f"[dim]Scenario store: {store.display_url(db)} at revision {revision}[/dim]")
    app.state.db_url = db  # the scenario endpoints' store calls use it (None: $CORRIDOR_DB, else the default)
    uvicorn.run(app, host=host, port=port, log_level="info")


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
    """Show the database's schema revision and the newest one this Corridor ships (changes nothing)."""
    from corridor import store

    current, head = store.revisions(db)
    state = "up to date" if current == head else f"behind: run `corridor db upgrade` to reach {head}"
    out.print(f"{store.display_url(db)}: revision {current or 'none (empty database)'}, {state}")


@db_app.command("downgrade")
@friendly
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Revision to return to; base removes every table.")],
    db: DbOption = None,
) -> None:
    """Undo migrations down to REVISION, dropping the tables later ones added (with their rows)."""
    from corridor import store

    after = store.downgrade(revision, url=db)
    out.print(f"{store.display_url(db)}: now at revision {after or 'base (no tables)'}")
