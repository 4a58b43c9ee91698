"""The options naming a profile, a client or a source, spelled the same in every command group.

``--profile``, ``--client`` and ``--source`` take an id or a name; the older spellings
``--profile-id``, ``--client-id`` and ``--source-id`` still work. A command given no
``--profile`` uses ``PLENTYSYNC_PROFILE``. Customer ids (``--entity-ids 1-5,9``) are read
here too.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli._common import fail
from core.db.models import Profile
from core.errors import InputError
from core.profiles.service import get_profile
from core.services.ids import EntityIds, parse_entity_ids
from core.settings import get_settings


def _profile_or_default(ref: str | None) -> str:
    """``--profile``, else ``PLENTYSYNC_PROFILE``; checked while parsing, before any work."""
    ref = ref or get_settings().profile
    if not ref:
        raise typer.BadParameter("no profile: give --profile NAME or set PLENTYSYNC_PROFILE")
    return ref


ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        "--profile-id",
        help="Profile id or name; default: $PLENTYSYNC_PROFILE.",
        show_default=False,
        callback=_profile_or_default,
    ),
]
ProfileFilter = Annotated[
    str | None, typer.Option("--profile", "--profile-id", help="Only this profile (id or name).")
]
ClientOption = Annotated[
    str | None, typer.Option("--client", "--client-id", help="Client id or name.")
]
SourceOption = Annotated[
    str | None, typer.Option("--source", "--source-id", help="Magento source id or name.")
]


def chosen_ref(ref: str | None) -> str:
    """The profile id or name given by ``--profile``, else by ``PLENTYSYNC_PROFILE``."""
    ref = ref or get_settings().profile
    if not ref:
        fail("no profile: give --profile NAME or set PLENTYSYNC_PROFILE")
    return ref


def chosen_profile(ref: str | None) -> Profile:
    """The profile named by ``--profile``, else by ``PLENTYSYNC_PROFILE``."""
    return get_profile(chosen_ref(ref))


def parse_ids(text: str, option: str = "--entity-ids") -> EntityIds:
    """``1-1000,1500`` -> every id in the ranges and lists; a bad one is a usage error."""
    try:
        return parse_entity_ids(text)
    except InputError as exc:
        fail(f"{option} {exc}")
