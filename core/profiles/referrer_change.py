"""The referrer is given to a contact when it is created; PlentyONE keeps it afterwards.

plentysync never rewrites the referrer of an existing contact. Each time a profile's referrer
settings change while contacts of its client and source exist, the settings those contacts were
created under are remembered with the time they ended, so ``profile info`` can say which
contacts keep an earlier referrer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.config_data import delete_config, load_config, store_config
from core.db.models import CustomerLink, Profile, utcnow
from core.profiles.settings import ProfileSettings

__all__ = [
    "EarlierReferrer",
    "ReferrerChange",
    "forget_referrer_changes",
    "note_referrer_change",
    "referrer_change",
]

KIND = "referrer_history"


def _referrers(settings: ProfileSettings) -> dict[str, Any]:
    store = settings.store
    return {
        "referrer_id": store.referrer_id,
        "website_referrers": sorted(
            [row.website_id, row.referrer_id] for row in store.website_referrers
        ),
    }


def _describe(referrers: dict[str, Any]) -> str:
    main = referrers["referrer_id"]
    text = "none" if main is None else f"{main:g}"
    overrides = ", ".join(f"website {w}: {r:g}" for w, r in referrers["website_referrers"])
    return f"{text} ({overrides})" if overrides else text


def _contacts(profile: Profile, since: dt.datetime | None, until: dt.datetime | None) -> int:
    """Contacts of the profile's client and source whose link was made in [since, until)."""
    query = CustomerLink.select().where(
        (CustomerLink.client == profile.client_id)
        & (CustomerLink.namespace == profile.source.namespace)
        & CustomerLink.contact_id.is_null(False)
    )
    if since is not None:
        query = query.where(CustomerLink.created_at >= since)
    if until is not None:
        query = query.where(CustomerLink.created_at < until)
    return int(query.count())


@dataclass(frozen=True)
class EarlierReferrer:
    """Referrer settings that were in force until ``until``, and its contacts from that time."""

    referrers: str
    until: dt.datetime
    contacts: int


@dataclass(frozen=True)
class ReferrerChange:
    """Contacts created under referrer settings the profile no longer has."""

    now: str
    earlier: tuple[EarlierReferrer, ...]

    @property
    def contacts(self) -> int:
        return sum(e.contacts for e in self.earlier)

    def __str__(self) -> str:
        periods = "; ".join(
            f"{e.contacts} under {e.referrers} until {e.until:%Y-%m-%d %H:%M}" for e in self.earlier
        )
        return (
            f"the referrer was changed after contacts existed ({periods}): PlentyONE keeps a "
            f"contact's referrer and plentysync does not change it, so only contacts created "
            f"from now on get {self.now}"
        )


def note_referrer_change(profile: Profile, old: ProfileSettings, new: ProfileSettings) -> None:
    """Remember the referrer settings existing contacts were created under, when they change."""
    if _referrers(old) == _referrers(new) or not _contacts(profile, None, None):
        return
    history = list(load_config("profile", profile.id).get(KIND) or [])
    history.append({"referrers": _referrers(old), "until": utcnow().isoformat()})
    store_config("profile", profile.id, KIND, history)


def referrer_change(profile: Profile, settings: ProfileSettings) -> ReferrerChange | None:
    """Contacts created under other referrer settings than today's; None when there are none."""
    now = _referrers(settings)
    earlier = []
    since: dt.datetime | None = None
    for entry in load_config("profile", profile.id).get(KIND) or []:
        until = dt.datetime.fromisoformat(entry["until"])
        referrers = entry["referrers"]
        if referrers != now:
            contacts = _contacts(profile, since, until)
            if contacts:
                earlier.append(EarlierReferrer(_describe(referrers), until, contacts))
        since = until
    return ReferrerChange(_describe(now), tuple(earlier)) if earlier else None


def forget_referrer_changes(profile: Profile) -> None:
    """Drop the remembered referrer settings of a profile that is removed."""
    delete_config("profile", profile.id)
