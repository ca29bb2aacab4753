"""The ``toelab`` application object, its consoles, and the one place a ToelabError becomes
one line on stderr and exit status 2."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from toelab import __version__
from toelab.errors import ToelabError
from toelab.extras import missing_extra

console = Console()
error_console = Console(stderr=True)


class OneLineErrors(TyperGroup):
    """Every command of the group (and of its sub-groups) reports a ToelabError on one line and
    exits with status 2 instead of a traceback."""

    # typer carries its own copy of click, whose Context has no public name
    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                return super().invoke(ctx)
            except ModuleNotFoundError as missing:
                raise missing_extra(missing, f"toelab {ctx.invoked_subcommand or ''}".strip()) from None
        except ToelabError as error:
            error_console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=OneLineErrors,
    no_args_is_help=True,
    add_completion=False,
    help="toelab: assess, train and track toe function.",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"toelab {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """toelab: assess, train and track toe function."""
