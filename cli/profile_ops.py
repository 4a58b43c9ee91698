"""``plentysync profile pause|resume|schedule``: stop and restart a profile's automatic runs."""

from __future__ import annotations

from typing import Annotated

import typer

from cli._common import fail, open_db, out
from core.db.connection import write_transaction
from core.db.models import Profile, utcnow
from core.profiles.service import get_profile, profile_settings, save_profile

ProfileRef = Annotated[str, typer.Argument(help="Profile id or name.")]

schedule_app = typer.Typer(help="Turn a profile's schedule on or off.", no_args_is_help=True)


def _set_paused(ref: str, paused: bool) -> None:
    open_db()
    profile = get_profile(ref)
    with write_transaction():
        Profile.update(paused=paused, updated_at=utcnow()).where(Profile.id == profile.id).execute()
    word = "paused: scheduled runs are skipped" if paused else "resumed"
    out.print(f"profile {profile.id} {profile.name!r} {word}")


def pause(profile_ref: ProfileRef) -> None:
    """Skip the profile's scheduled runs until 'profile resume' (a running run finishes)."""
    _set_paused(profile_ref, True)


def resume(profile_ref: ProfileRef) -> None:
    """Let the profile's schedules fire again."""
    _set_paused(profile_ref, False)


def _set_scheduled(ref: str, enabled: bool) -> None:
    open_db()
    profile = get_profile(ref)
    settings = profile_settings(profile)
    if enabled and settings.schedule.schedule_id is None:
        fail(
            f"profile {profile.name!r} has no schedule: set one with "
            "'profile edit ID --set schedule.schedule_id=N'"
        )
    section = settings.schedule.model_copy(update={"status": enabled})
    save_profile(profile, settings.model_copy(update={"schedule": section}))
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
