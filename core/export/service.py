"""Starting an export: checks, the run row, and the clients its executor works with."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import socket
import uuid

from core.clients import client_settings
from core.config_data import load_config
from core.db.models import Profile, Run
from core.errors import ConfigError
from core.export import index, runs
from core.export.connections import Backends, mapping_context, open_magento, open_plenty
from core.export.deps import ExportDeps
from core.profiles.service import check_runnable, profile_settings
from core.tools.request_log import request_log_hooks

log = logging.getLogger(__name__)


class NotRunnableError(ConfigError):
    """The profile is missing pieces; ``problems`` names each of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            "the profile cannot run yet: " + "; ".join(problems), detail={"lines": problems}
        )
        self.problems = problems


class BlackoutRefused(ConfigError):
    """A start of writes by hand inside the client's blackout window, not overridden."""


def refuse_in_blackout(profile: Profile, *, now: dt.datetime | None = None) -> None:
    """Refuse to start writes while the profile's client is inside one of its blackout windows."""
    moment = now or dt.datetime.now(dt.UTC)
    window = client_settings(profile.client).blackout_at(moment)
    if window is None:
        return
    ends = window.ends_after(moment)
    raise BlackoutRefused(
        f"client {profile.client.name!r} is in its blackout window {window.describe()} until "
        f"{ends:%Y-%m-%d %H:%M} {window.timezone}; give --ignore-blackout to send anyway"
    )


def check_store_id(profile: Profile, store_id: int | None) -> None:
    """Refuse a store filter that names no store view of the profile's source."""
    if store_id is None:
        return
    views = load_config("source", profile.source_id).get("store_views") or []
    known = sorted(int(v["id"]) for v in views)
    if store_id not in known:
        raise ConfigError(
            f"--store-id {store_id}: source {profile.source.name!r} has no such store view; "
            f"known: {', '.join(map(str, known)) or 'none collected yet'}"
        )


def worker_name() -> str:
    """Who holds a lease or a claim: host, process and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def start_export(profile: Profile, options: runs.RunOptions, trigger: str = "manual") -> Run:
    """Create a run for ``profile`` after the runnable check; nothing is sent yet."""
    problems = check_runnable(profile)
    if problems:
        raise NotRunnableError([str(p) for p in problems])
    check_store_id(profile, options.store_id)
    settings = profile_settings(profile)
    if settings.http_api.api_behaviour == "sync":
        options = options.model_copy(update={"behaviour": "sync"})
    if settings.http_api.api_behaviour == "replace":
        log.warning(
            "profile %s: behaviour 'replace' runs as append here; deleting contacts is the "
            "one-shot command 'plentysync customer replace'",
            profile.name,
        )
    return runs.create_run(profile, trigger, options)


def open_deps(
    run: Run,
    *,
    owner: str | None = None,
    backends: Backends | None = None,
    **plenty_overrides: object,
) -> ExportDeps:
    """Clients and context for working ``run``; close them with ``close_deps``."""
    profile: Profile = run.profile
    settings = profile_settings(profile)
    hooks = request_log_hooks(profile.id, settings.log)
    if hooks:
        backends = backends or Backends()
        backends = dataclasses.replace(backends, hooks=(*backends.hooks, *hooks))
    return ExportDeps(
        plenty=open_plenty(profile.client, backends, **plenty_overrides),
        magento=open_magento(profile.source),
        ctx=mapping_context(profile),
        run_id=run.id,
        client_id=profile.client_id,
        options=runs.run_options(run),
        owner=owner or worker_name(),
        history=settings.schedule.enable_history,
        use_index=index.has_index(run.id),
    )


def close_deps(deps: ExportDeps) -> None:
    deps.magento.close()
    deps.plenty.close()
