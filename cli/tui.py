"""``plentysync tui``: the terminal UI, in the mode this deployment calls for."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated

import typer

from cli._common import open_db


def tui(
    demo: Annotated[
        bool,
        typer.Option(help="On a throw-away demo dataset, with the sandboxes started for it."),
    ] = False,
    viewer: Annotated[bool, typer.Option(help="Watch only: every action is hidden.")] = False,
    theme: Annotated[
        str | None, typer.Option(help="A Textual theme, e.g. ansi-dark for 16 colours.")
    ] = None,
    customers: Annotated[int, typer.Option(help="--demo: customers in the sandbox shop.")] = 300,
    serve: Annotated[
        str | None,
        typer.Option(
            metavar="HOST:PORT",
            help="Serve the TUI to a browser on a loopback address, e.g. 127.0.0.1:8566 "
            "(one app per tab; this process works the runs). No authentication: reach it "
            "from elsewhere with 'ssh -L 8566:127.0.0.1:8566 host'.",
        ),
    ] = None,
    tab: Annotated[bool, typer.Option(hidden=True, help="One browser tab of --serve.")] = False,
) -> None:
    """Watch and operate every profile live, from the keyboard (also over SSH).

    Without Redis and without a running 'plentysync serve' the TUI works runs itself
    (embedded mode) for as long as it runs; for long unattended runs use 'plentysync serve'.
    With --serve it is served to browsers instead, one app per tab, and this process works
    the runs while it serves.
    """
    from cli.tui_serve import TabServices, end_with_server, loopback_address, serve_tui
    from tui.app import STOP_TIMEOUT, PlentysyncApp
    from tui.services import Services

    if serve is not None:
        loopback_address(serve)  # refused before anything starts
    with _demo_dataset(customers) if demo else contextlib.nullcontext():
        if not demo:
            open_db()
        if serve is not None:
            serve_tui(serve, viewer=viewer, theme=theme, stop_timeout=STOP_TIMEOUT)
            return
        if tab:
            end_with_server()
        services = TabServices(viewer=viewer) if tab else Services(viewer=viewer)
        services.open()
        app = PlentysyncApp(services, theme=theme)
        try:
            app.run()
        finally:
            app.stop_worker()
    raise typer.Exit(app.return_code or 0)


@contextlib.contextmanager
def _demo_dataset(customers: int) -> Iterator[None]:
    """The demo's sandboxes, client, source and profile, in a scratch data directory."""
    import shutil

    from cli.demo import use_scratch_home
    from cli.sandbox_extra import missing_sandbox_modules

    missing = missing_sandbox_modules()
    if missing:
        raise typer.BadParameter(
            f"--demo needs the sandbox extra ({', '.join(missing)} missing): "
            "pip install 'plentysync[sandbox]'"
        )
    from cli.demo import set_up_demo
    from core.clients import ClientSettings
    from sandbox.magento import MagentoSandboxConfig
    from sandbox.magento import create_app as magento_app
    from sandbox.plenty import RateLimits, SandboxConfig
    from sandbox.plenty import create_app as plenty_app
    from sandbox.server import serve_in_thread

    home = use_scratch_home("plentysync-tui-demo-")
    limits = RateLimits(short_read=2400, short_write=1200, long_read=10**8, long_write=10**8)
    try:
        with (
            serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
            serve_in_thread(
                magento_app(MagentoSandboxConfig(customers=customers, seed=7, orders=60))
            ) as shop,
        ):
            settings = ClientSettings(plan=None, read_per_minute=2400, write_per_minute=1200)
            set_up_demo(plenty.base_url, shop.base_url, settings)
            yield
    finally:
        shutil.rmtree(home, ignore_errors=True)
