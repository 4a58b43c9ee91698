"""``plentysync sandbox magento``."""

from __future__ import annotations

import typer

from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig, create_app
from sandbox.server import LOOPBACK, free_port, serve_forever


def register(app: typer.Typer) -> None:
    """Add the ``magento`` command to the sandbox command group."""

    @app.command("magento")
    def magento(
        port: int = typer.Option(0, help="TCP port on 127.0.0.1; 0 picks a free one."),
        customers: int = typer.Option(1000, help="Number of generated customers (ids 1..N)."),
        orders: int = typer.Option(500, help="Number of generated orders (mostly guests)."),
        seed: int = typer.Option(1, help="Seed: the same seed always gives the same shop."),
        dirty_share: float = typer.Option(0.05, help="Share of deliberately broken records."),
        token: str = typer.Option(
            DEFAULT_INTEGRATION_TOKEN, help="Integration bearer token the emulator accepts."
        ),
    ) -> None:
        """Serve the Magento REST emulator in the foreground until interrupted."""
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
        serve_forever(create_app(config), port)
