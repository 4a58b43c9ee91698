"""``plentysync sandbox``: emulators of PlentyONE and Magento for the demo, tests, benchmarks."""

from __future__ import annotations

import typer

from cli import sandbox_magento, sandbox_plenty

app = typer.Typer(help="Run the bundled emulators of the PlentyONE and Magento REST APIs.")
sandbox_plenty.register(app)
sandbox_magento.register(app)
