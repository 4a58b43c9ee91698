"""Clients for a tool working on one profile: the export's own, or a PlentyONE that cannot write.

Tools reuse the export pipeline's planning and resolution, which take an ``ExportDeps``; a
tool's deps belong to no run (``run_id`` 0), so nothing it does is counted on a run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from core.db.models import Profile
from core.export.connections import (
    Backends,
    mapping_context,
    open_magento,
    open_plenty,
    plenty_config,
)
from core.export.deps import ExportDeps
from core.export.runs import RunOptions
from core.export.service import worker_name
from core.plenty import DatabaseBudgetBackend, DatabaseTokenStore, PlentyClient
from core.profiles.service import profile_settings
from core.settings import get_settings
from core.tools.request_log import request_log_hooks

__all__ = ["ReadOnlyTransport", "WriteRefused", "tool_deps"]

# Logging in is a POST but changes no data; every other non-GET call is a write.
_SESSION_ROUTES = frozenset({"/rest/login", "/rest/login/refresh", "/rest/logout"})


class WriteRefused(RuntimeError):
    """A read-only tool tried to send a write to PlentyONE: a bug, never a data problem."""


class ReadOnlyTransport(httpx.HTTPTransport):
    """The network, with every PlentyONE write refused before it leaves this process."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method not in ("GET", "HEAD") and request.url.path not in _SESSION_ROUTES:
            raise WriteRefused(f"a read-only tool tried {request.method} {request.url.path}")
        return super().handle_request(request)


def _read_only_plenty(profile: Profile, backends: Backends) -> PlentyClient:
    return PlentyClient(
        plenty_config(profile.client),
        transport=ReadOnlyTransport(),
        token_store=backends.tokens or DatabaseTokenStore(),
        budget_backend=backends.budget or DatabaseBudgetBackend(),
        hooks=backends.hooks,
        mask_personal_data=get_settings().mask_personal_data,
    )


@contextmanager
def tool_deps(
    profile: Profile,
    *,
    read_only: bool,
    options: RunOptions | None = None,
    backends: Backends | None = None,
) -> Iterator[ExportDeps]:
    """Both clients and the mapping context of ``profile``, closed when the block ends.

    ``backends`` share the PlentyONE token and budget with the workers (Redis in a scale-out
    setup); the default is the database, as on a single host.
    """
    settings = profile_settings(profile)
    backends = backends or Backends()
    hooks = (*backends.hooks, *request_log_hooks(profile.id, settings.log))
    backends = dataclasses.replace(backends, hooks=hooks)
    plenty = (
        _read_only_plenty(profile, backends) if read_only else open_plenty(profile.client, backends)
    )
    magento = open_magento(profile.source)
    try:
        yield ExportDeps(
            plenty=plenty,
            magento=magento,
            ctx=mapping_context(profile),
            run_id=0,
            client_id=profile.client_id,
            options=options or RunOptions(),
            owner=worker_name(),
            history=settings.schedule.enable_history,
        )
    finally:
        magento.close()
        plenty.close()
