"""Running toelab: the web server, accounts, the database, backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toelab.cli.app import app, console

db_app = typer.Typer(no_args_is_help=True, help="The database of records.")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database's schema up to this toelab's (keep a backup first)."""
    from toelab.store import database_url, upgrade

    revision = upgrade()
    console.print(f"{database_url()} is at schema version {revision}", highlight=False, soft_wrap=True)


@app.command()
def backup(out: Annotated[Path, typer.Argument(help="Archive to write (.tar.gz).")]) -> None:
    """Copy the database and the track files into one archive (safe while toelab is running)."""
    from toelab.store.backup import backup_to

    made = backup_to(out)
    console.print(f"backed up the {made.engine} database and {made.tracks} track files to {made.path}")


@app.command()
def restore(
    archive: Annotated[Path, typer.Argument(help="Archive written by `toelab backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a database that holds data.")] = False,
) -> None:
    """Put the database and the track files back from a backup archive."""
    from toelab.store.backup import restore_from

    done = restore_from(archive, force=force)
    console.print(f"restored the {done.engine} database and {done.tracks} track files from {done.path}")


user_app = typer.Typer(no_args_is_help=True, help="Accounts for the clinic mode (toelab serve --clinic).")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: Annotated[str, typer.Option(help="admin, clinician or patient.")],
    person: Annotated[str | None, typer.Option(help="A patient's person (display name).")] = None,
    clinician: Annotated[str | None, typer.Option(help="The clinician who looks after a patient.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add an account; the password is asked for (or read from standard input)."""
    import sys

    from toelab.store import open_store
    from toelab.web.auth import hash_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_store() as store:
        added = store.accounts.add_user(
            username, hash_password(password), role, person=person, clinician=clinician
        )
    console.print(f"added {added.role} {added.username}", highlight=False)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for other devices).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    https: Annotated[
        bool, typer.Option("--https", help="Serve https with a self-signed certificate.")
    ] = False,
    clinic: Annotated[
        bool, typer.Option("--clinic", help="Accounts and sign-in for many people (see `toelab user add`).")
    ] = False,
) -> None:
    """Start the live toe trainer in the browser (this computer only, unless --host says otherwise)."""
    from toelab.web.server import run_server

    run_server(host, port, https, say=console.print, clinic=clinic)
