"""``plentysync profile pause|resume|schedule``: stop and restart a profile's automatic runs."""

from __future__ import annotations

from typing import Annotated

import typer

from cli._common import open_db, out
from core.services.profiles import pause_profile, resume_profile, set_schedule_enabled

ProfileRef = Annotated[str, typer.Argument(help="Profile id or name.")]

schedule_app = typer.Typer(help="Turn a profile's schedule on or off.", no_args_is_help=True)


def pause(profile_ref: ProfileRef) -> None:
    """Skip the profile's scheduled runs until 'profile resume' (a running run finishes)."""
    open_db()
    profile = pause_profile(profile_ref)
    out.print(f"profile {profile.id} {profile.name!r} paused: scheduled runs are skipped")


def resume(profile_ref: ProfileRef) -> None:
    """Let the profile's schedules fire again."""
    open_db()
    profile = resume_profile(profile_ref)
    out.print(f"profile {profile.id} {profile.name!r} resumed")


def _set_scheduled(ref: str, enabled: bool) -> None:
    open_db()
    profile = set_schedule_enabled(ref, enabled)
    out.print(f"profile {profile.id} {profile.name!r}: schedule {'on' if enabled else 'off'}")


@schedule_app.command("enable")
def enable(profile_ref: ProfileRef) -> None:
    """Run the profile on its schedule."""
    _set_scheduled(profile_ref, True)


@schedule_app.command("disable")
def disable(profile_ref: ProfileRef) -> None:
    """Stop running the profile on its schedule (manual runs still work)."""
    _set_scheduled(profile_ref, False)


def register(app: typer.Typer) -> None:
    """Add pause, resume and schedule enable|disable to the ``profile`` command."""
    app.command("pause")(pause)
    app.command("resume")(resume)
    app.add_typer(schedule_app, name="schedule")
