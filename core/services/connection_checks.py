"""Test one connection: can we log in to a PlentyONE client, can we read a Magento source?

A form's "test connection" makes one read with the stored credentials and says what came
back, in the words the CLI uses for its checks. Nothing is written; a PlentyONE login is
done afresh (the shared token store is left alone, so a changed password is really tried)
and a failure is tried once only, so an unreachable address answers within the connect
timeout instead of after every retry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.clients import get_client
from core.errors import AuthError, PlentysyncError
from core.export.connections import Backends, magento_config, open_plenty
from core.magento import MagentoSource
from core.plenty import MemoryTokenStore, RetryPolicy, Timeouts
from core.sources import get_source

Ref = str | int
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True)
class ConnectionCheck:
    """What one test of a client or source found: ``ok``, and a line for the operator."""

    kind: str  # client | source
    name: str
    url: str
    ok: bool
    message: str

    def line(self) -> str:
        mark = "ok" if self.ok else "failed"
        return f"{self.kind} {self.name!r} at {self.url}: {mark}: {self.message}"


def _failed(exc: PlentysyncError) -> str:
    if isinstance(exc, AuthError):
        return f"credentials refused: {exc}"
    return str(exc)


def check_client(ref: Ref) -> ConnectionCheck:
    """Log in to the PlentyONE system with its stored user and password."""
    client = get_client(ref)
    try:
        plenty = open_plenty(
            client,
            Backends(tokens=MemoryTokenStore()),
            retry=RetryPolicy(attempts=1, relogin_within=0),
            timeouts=Timeouts(connect=CONNECT_TIMEOUT, read=30.0),
            logout_on_close=True,
        )
        try:
            plenty.session.token()
        finally:
            plenty.close()
    except PlentysyncError as exc:
        return ConnectionCheck("client", client.name, client.base_url, False, _failed(exc))
    return ConnectionCheck(
        "client", client.name, client.base_url, True, f"logged in as {client.username}"
    )


def check_source(ref: Ref) -> ConnectionCheck:
    """Read the Magento source's websites and store views with its stored credentials."""
    source = get_source(ref)
    try:
        config = magento_config(source)
        quick = replace(config, max_attempts=1, connect_timeout=CONNECT_TIMEOUT)
        with MagentoSource(quick) as magento:
            websites = magento.stores.websites()
            views = magento.stores.store_views()
    except PlentysyncError as exc:
        return ConnectionCheck("source", source.name, source.base_url, False, _failed(exc))
    return ConnectionCheck(
        "source",
        source.name,
        source.base_url,
        True,
        f"{len(websites)} websites, {len(views)} store views",
    )
