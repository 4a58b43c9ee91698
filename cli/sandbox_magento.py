"""``plentysync sandbox magento``: generated customers, or a rehearsal on the shop's own."""

from __future__ import annotations

from pathlib import Path

import typer

from cli import sandbox_rehearsal
from sandbox.data import ImportedShop
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig, create_app
from sandbox.server import LOOPBACK, free_port, serve_forever


def register(app: typer.Typer) -> None:
    """Add the ``magento`` command to the sandbox command group."""

    @app.command("magento")
    def magento(
        files: list[Path] = typer.Argument(
            None, metavar="[FILE]...", help="With --import-csv: the exported CSV files."
        ),
        port: int = typer.Option(0, help="TCP port on 127.0.0.1; 0 picks a free one."),
        customers: int = typer.Option(1000, help="Number of generated customers (ids 1..N)."),
        orders: int = typer.Option(500, help="Number of generated orders (mostly guests)."),
        seed: int = typer.Option(1, help="Seed: the same seed always gives the same shop."),
        dirty_share: float = typer.Option(0.05, help="Share of deliberately broken records."),
        token: str = typer.Option(
            DEFAULT_INTEGRATION_TOKEN, help="Integration bearer token the emulator accepts."
        ),
        import_csv: bool = typer.Option(
            False,
            "--import-csv",
            help="Rehearse: load Magento's 'Customers Main File' and 'Customer Addresses' "
            "exports (FILE...), store them in the data directory and serve them.",
        ),
        rehearsal: bool = typer.Option(
            False, "--rehearsal", help="Serve the customers stored by the last --import-csv."
        ),
        serve: bool = typer.Option(True, help="--no-serve: import and report, do not serve."),
        purge_rehearsal: bool = typer.Option(
            False,
            "--purge-rehearsal",
            help="Delete the stored rehearsal (and, in a data directory of its own, its "
            "database and logs).",
        ),
        yes: bool = typer.Option(False, "--yes", help="Do not ask before --purge-rehearsal."),
    ) -> None:
        """Serve the Magento REST emulator in the foreground until interrupted."""
        if purge_rehearsal:
            sandbox_rehearsal.purge(yes)
            return
        if files and not import_csv:
            raise typer.BadParameter("files are read only with --import-csv", param_hint="FILE")
        shop: ImportedShop | None = None
        if import_csv:
            if not files:
                raise typer.BadParameter("name the exported CSV files", param_hint="--import-csv")
            shop = sandbox_rehearsal.import_rehearsal(files)
        elif rehearsal:
            shop = sandbox_rehearsal.stored_rehearsal()
        if not serve:
            return
        port = port or free_port()
        config = MagentoSandboxConfig(
            customers=customers,
            orders=orders,
            seed=seed,
            dirty_share=dirty_share,
            integration_token=token,
        )
        # The token is the operator's own choice; we print where to send it, not the token.
        typer.echo(f"Magento sandbox: http://{LOOPBACK}:{port}/rest/V1/")
        serve_forever(create_app(config, imported=shop), port)
