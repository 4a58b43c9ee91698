"""``plentysync sandbox plenty``: serve the PlentyONE emulator on loopback in the foreground."""

from __future__ import annotations

import typer

from sandbox.plenty import Plan, RateLimits, SandboxConfig, create_app
from sandbox.server import LOOPBACK, free_port, serve_forever


def register(app: typer.Typer) -> None:
    """Add the ``plenty`` command to the sandbox command group."""

    @app.command("plenty")
    def plenty(
        port: int = typer.Option(0, help="TCP port on 127.0.0.1; 0 picks a free one."),
        username: str = typer.Option("api-user", help="The back-end user the emulator accepts."),
        password: str = typer.Option("api-password", help="That user's password."),
        plan: Plan = typer.Option(Plan.CLASSIC, help="Contract plan whose budgets apply."),
        read_limit: int | None = typer.Option(
            None, help="Reads per user per window, instead of the plan's."
        ),
        write_limit: int | None = typer.Option(
            None, help="Writes per user per window, instead of the plan's."
        ),
        window_s: float = typer.Option(60.0, help="Length of the short rate-limit window."),
        sliding: bool = typer.Option(False, help="Count calls in a sliding window."),
        latency_ms: float = typer.Option(0.0, help="Added to every answer, in milliseconds."),
        jitter_ms: float = typer.Option(0.0, help="Random extra latency up to this much."),
        max_sessions: int = typer.Option(3, help="Users that may be logged in at once."),
    ) -> None:
        """Serve an emulated PlentyONE REST API with its rate limits, for demos and tests."""
        limits = RateLimits.for_plan(
            plan,
            short_read=read_limit,
            short_write=write_limit,
            short_period_s=window_s,
            window_mode="sliding" if sliding else "fixed",
        )
        config = SandboxConfig(users={username: password}, limits=limits, max_sessions=max_sessions)
        config = config.merged({"faults": {"latency_ms": latency_ms, "jitter_ms": jitter_ms}})
        chosen = port or free_port()
        typer.echo(f"PlentyONE sandbox on http://{LOOPBACK}:{chosen} (user {username})")
        typer.echo(
            f"limits per {window_s:g} s: {limits.short_read} reads, {limits.short_write} writes"
        )
        serve_forever(create_app(config), chosen)
