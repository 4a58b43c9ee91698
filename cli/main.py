"""The ``plentysync`` command."""

from __future__ import annotations

import typer

from cli import sandbox

app = typer.Typer(
    help="plentysync keeps PlentyONE contacts in step with a Magento 2 store's customers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(sandbox.app, name="sandbox")


def main() -> None:
    app()
