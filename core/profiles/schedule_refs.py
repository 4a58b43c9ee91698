"""Schedules in an exchanged profile document: by name, so the document fits any installation.

A saved profile refers to its schedules by id, and ids differ between installations. The
document written by ``export-config`` names them instead (``schedule_name``,
``reconcile_schedule_name``); reading a document turns the names back into this
installation's ids. Older documents that carry ids are still read as they are.
"""

from __future__ import annotations

import copy
from typing import Any

from core.db.models import Schedule
from core.errors import ConfigError

# Stored id field -> the name field an exchanged document carries instead.
REFERENCES = {"schedule_id": "schedule_name", "reconcile_schedule_id": "reconcile_schedule_name"}


def schedules_by_name(settings: dict[str, Any]) -> dict[str, Any]:
    """A copy of a settings document with each schedule id replaced by the schedule's name."""
    out = copy.deepcopy(settings)
    section = out.get("schedule") or {}
    for id_field, name_field in REFERENCES.items():
        schedule_id = section.pop(id_field, None)
        if schedule_id is None:
            continue
        schedule = Schedule.get_or_none(Schedule.id == schedule_id)
        # A dangling id is kept: the reader's runnable check names it, nothing is lost.
        section[name_field if schedule else id_field] = schedule.name if schedule else schedule_id
    return out


def schedules_by_id(settings: dict[str, Any]) -> dict[str, Any]:
    """A copy of a settings document with each schedule name resolved to this installation's id.

    A name no schedule has is a ``ConfigError`` naming the schedules that exist.
    """
    out = copy.deepcopy(settings)
    section = out.get("schedule")
    if not isinstance(section, dict):
        return out
    for id_field, name_field in REFERENCES.items():
        if name_field not in section:
            continue
        name = section.pop(name_field)
        if section.get(id_field) is not None:
            raise ConfigError(f"schedule: give {name_field} or {id_field}, not both")
        if name is None:
            continue
        schedule = Schedule.get_or_none(Schedule.name == str(name))
        if schedule is None:
            raise ConfigError(_missing(name_field, str(name)))
        section[id_field] = schedule.id
    return out


def _missing(field: str, name: str) -> str:
    known = ", ".join(repr(s.name) for s in Schedule.select().order_by(Schedule.name).limit(10))
    return (
        f"schedule.{field}: no schedule named {name!r} here (known: {known or 'none'}); add it "
        f"with 'plentysync schedule add --name {name} --cron ...' and import again"
    )
