"""How the PlentyONE emulator behaves: credentials, rate limits, modes, faults, reference data.

Every value object here is a pydantic model so the same shapes are accepted as JSON by
``POST /_sandbox/config`` at run time. Defaults follow the real system where it is known.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Plan(StrEnum):
    """The PlentyONE contract plans and their documented API budgets."""

    BASIC = "basic"
    CLASSIC = "classic"
    FLEX = "flex"
    PLUS = "plus"


# (reads per user per minute, writes per user per minute, reads per day, writes per day)
PLAN_BUDGETS: dict[Plan, tuple[int, int, int, int]] = {
    Plan.BASIC: (80, 40, 59_760, 17_280),
    Plan.CLASSIC: (200, 80, 166_000, 48_000),
    Plan.FLEX: (240, 100, 282_000, 72_000),
    Plan.PLUS: (280, 120, 282_000, 72_000),
}

WindowMode = Literal["fixed", "sliding"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RateLimits(_Model):
    """Call budgets: short period per user, long period per system, optional per route.

    ``window_mode`` "fixed" (the default) resets a counter at the end of each period, which
    is what the ``-Decay`` header ("seconds until the counter resets") describes; "sliding"
    counts the calls of the last ``short_period_s`` seconds instead.
    """

    enabled: bool = True
    short_read: int = Field(default=PLAN_BUDGETS[Plan.CLASSIC][0], ge=1)
    short_write: int = Field(default=PLAN_BUDGETS[Plan.CLASSIC][1], ge=1)
    long_read: int = Field(default=PLAN_BUDGETS[Plan.CLASSIC][2], ge=1)
    long_write: int = Field(default=PLAN_BUDGETS[Plan.CLASSIC][3], ge=1)
    short_period_s: float = Field(default=60.0, gt=0)
    long_period_s: float = Field(default=86_400.0, gt=0)
    window_mode: WindowMode = "fixed"
    # "METHOD /rest/template" -> calls per short period, e.g. {"POST /rest/accounts/contacts": 30}
    route_limits: dict[str, int] = Field(default_factory=dict)

    @classmethod
    def for_plan(cls, plan: Plan | str, **overrides: Any) -> RateLimits:
        """The documented budgets of ``plan``, with any field overridden."""
        read, write, day_read, day_write = PLAN_BUDGETS[Plan(str(plan).lower())]
        values: dict[str, Any] = {
            "short_read": read,
            "short_write": write,
            "long_read": day_read,
            "long_write": day_write,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


class Modes(_Model):
    """Switches for behaviours the reference marks UNCERTAIN, each with its default.

    * ``external_id_filter`` "string": ``externalId``/``number`` filters match any string
      exactly. "integer": as the official spec types them, a non-integer value is a 422.
    * ``options_on_put`` "merge": options sent on a contact PUT update the option of the same
      type and sub-type and leave the others. "replace": they replace all options.
    * ``email_writable`` False: top-level ``email`` is a read-only alias of the e-mail
      option and is ignored on writes, as for the other aliases. True: it writes the option.
    * ``strict_validation`` True: contact writes are checked against the reference data
      (type, class, referrer, plentyId, lang, gender); False accepts any value.
    * ``honour_check_for_existing_email`` True: a create with ``checkForExistingEmail``
      is refused when a contact already has that e-mail. Without the flag duplicates are
      accepted, as on the real system.
    * ``relation_array`` "all_or_nothing": an address relation array with a bad item is a
      422 and nothing of it is written. "per_item": the good items are written and
      returned, the bad ones left out of the answer (a 200).
    """

    external_id_filter: Literal["string", "integer"] = "string"
    options_on_put: Literal["merge", "replace"] = "merge"
    email_writable: bool = False
    strict_validation: bool = True
    honour_check_for_existing_email: bool = True
    relation_array: Literal["all_or_nothing", "per_item"] = "all_or_nothing"
    items_per_page_default: int = Field(default=50, ge=1)
    items_per_page_max: int = Field(default=250, ge=1)


class TimeoutOutcomes(_Model):
    """Relative weights of what happens to a write whose request hangs.

    * ``not_applied``: the server answers 504 after the hang and never writes.
    * ``applied``: the write happens at once, the answer comes after the hang.
    * ``applied_late``: the server answers 504 after the hang and writes
      ``late_apply_s`` seconds later, when the client has long given up.
    """

    not_applied: float = Field(default=1.0, ge=0)
    applied: float = Field(default=1.0, ge=0)
    applied_late: float = Field(default=1.0, ge=0)


class Faults(_Model):
    """Injected latency and failures; all off by default, reproducible through ``seed``."""

    seed: int = 0
    latency_ms: float = Field(default=0.0, ge=0)
    jitter_ms: float = Field(default=0.0, ge=0)
    error_rate: float = Field(default=0.0, ge=0, le=1)
    error_statuses: list[int] = Field(default_factory=lambda: [500, 502, 503])
    timeout_rate: float = Field(default=0.0, ge=0, le=1)
    timeout_hang_s: float = Field(default=5.0, ge=0)
    late_apply_s: float = Field(default=2.0, ge=0)
    timeout_outcomes: TimeoutOutcomes = Field(default_factory=TimeoutOutcomes)
    # Faults hit only writes unless this is set: reads rarely change what a client does.
    include_reads: bool = False
    # Faults hit only calls whose path starts with one of these (all calls when empty).
    paths: list[str] = Field(default_factory=list)


class Webstore(_Model):
    """A webstore (client) of the system; ``plenty_id`` is what contacts call ``plentyId``."""

    id: int
    plenty_id: int
    name: str
    default_language: str = "de"


class ReferenceData(_Model):
    """The seeded reference data a fresh emulator starts with."""

    contact_classes: dict[int, str] = Field(
        default_factory=lambda: {1: "Endkunde", 2: "Händler", 3: "Großhandel"}
    )
    contact_types: dict[int, str] = Field(
        default_factory=lambda: {
            1: "Customer",
            2: "Sales lead",
            3: "Sales representative",
            4: "Supplier",
            5: "Manufacturer",
            6: "Partner",
        }
    )
    # referrer id -> name; ids are decimals because sub-referrers add two decimal places.
    referrers: dict[float, str] = Field(
        default_factory=lambda: {0.0: "Client", 1.0: "Manual entry", 4.01: "Amazon Germany"}
    )
    webstores: list[Webstore] = Field(
        default_factory=lambda: [Webstore(id=0, plenty_id=12345, name="Standard Shop")]
    )
    languages: list[str] = Field(
        default_factory=lambda: [
            "bg", "cn", "cz", "da", "de", "en", "es", "fr", "it", "nl",
            "nn", "pl", "pt", "ro", "ru", "se", "sk", "tr", "vn",
        ]
    )  # fmt: skip


class SandboxConfig(_Model):
    """Everything the PlentyONE emulator needs to start.

    ``users`` are the back-end logins accepted (name -> password). ``max_sessions`` caps how
    many different users may hold a live token at once (None: no cap); the real default is 3.
    ``inspect_token``, when set, must be sent as ``X-Sandbox-Token`` on ``/_sandbox/`` routes.
    """

    users: dict[str, str] = Field(default_factory=lambda: {"api-user": "api-password"})
    token_lifetime_s: float = Field(default=86_400.0, gt=0)
    max_sessions: int | None = Field(default=3, ge=1)
    timezone: str = "Europe/Berlin"
    inspect_token: str | None = None
    limits: RateLimits = Field(default_factory=RateLimits)
    modes: Modes = Field(default_factory=Modes)
    faults: Faults = Field(default_factory=Faults)
    reference: ReferenceData = Field(default_factory=ReferenceData)

    def merged(self, patch: dict[str, Any]) -> SandboxConfig:
        """A copy with ``patch`` (nested JSON, as ``/_sandbox/config`` takes it) applied."""
        return SandboxConfig.model_validate(_deep_merge(self.model_dump(), patch))


def _deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in patch.items():
        current = merged.get(key)
        # route_limits and users are replaced whole, so a key can be removed again.
        if isinstance(current, dict) and isinstance(value, dict) and key not in _WHOLE:
            merged[key] = _deep_merge(current, value)
        else:
            merged[key] = value
    return merged


_WHOLE = frozenset({"route_limits", "users", "contact_classes", "contact_types", "referrers"})
