"""The ``plentysync`` command."""

from __future__ import annotations

import typer

from cli import clients, customers, db, profiles, schedules, secrets, sources
from cli import config as config_cli
from cli import history as history_cli
from cli import runs as runs_cli
from cli import serve as serve_cli
from cli import status as status_cli
from cli import tui as tui_cli
from cli._common import run_cli, setup_logging
from cli.exit_status import EPILOG, OneLineErrors
from cli.sandbox_extra import missing_sandbox_modules, register_unavailable
from core.files import restrict_umask

app = typer.Typer(
    help="plentysync keeps PlentyONE contacts in step with a Magento 2 store's customers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=OneLineErrors,
    epilog=EPILOG,
)
app.add_typer(clients.app, name="client")
app.add_typer(sources.app, name="source")
app.add_typer(schedules.app, name="schedule")
app.add_typer(profiles.app, name="profile")
app.add_typer(customers.app, name="customer")
app.add_typer(config_cli.app, name="config")
app.add_typer(db.app, name="db")
app.add_typer(secrets.app, name="secrets")
if missing_sandbox_modules():
    register_unavailable(app)
else:
    # Only with the sandbox extra installed: these modules import the emulators.
    from cli import demo, sandbox

    app.add_typer(sandbox.app, name="sandbox")
    app.command("demo")(demo.demo)
app.command("tui")(tui_cli.tui)
app.add_typer(runs_cli.app, name="run")
serve_cli.register(app)
app.add_typer(history_cli.app, name="history")
app.command("status")(status_cli.status)


@app.callback()
def _root() -> None:
    setup_logging()


def main() -> None:
    restrict_umask()
    run_cli(app)


if __name__ == "__main__":
    main()
