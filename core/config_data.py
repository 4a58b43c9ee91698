"""Reference data collected from PlentyONE (per client) and Magento (per source).

Shapes stored per kind (JSON):

* client ``classes``: ``[{"id": int, "name": str}]``; ``referrers``: ``[{"id": float,
  "name": str}]``; ``languages``: ``[code]``; ``webstores``: ``[{"id": int, "plentyId": int,
  "name": str}]``; ``countries``: ``[{"id": int, "iso2": str, "name": str, "states":
  [{"id": int, "code": str, "name": str}]}]``; ``contact_types``, ``address_option_types``:
  ``[{"id": int, "name": str}]``.
* source ``groups``: ``[{"id": int, "code": str}]``; ``websites``: ``[{"id": int, "code": str,
  "name": str, "default_store_id": int}]``; ``store_views``: ``[{"id": int, "code": str,
  "website_id": int, "name": str}]``; ``gender_labels``: ``{"1": "Male", ...}``;
  ``address_attributes``: ``[{"code": str, "label": str, "custom": bool}]``.
* profile ``referrer_history``: what plentysync itself remembers about a profile
  (``core.profiles.referrer_change``), kept here beside the configuration it refers to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from core.db.connection import write_transaction
from core.db.models import ConfigData, utcnow

OwnerKind = Literal["client", "source", "profile"]


def store_config(owner_kind: OwnerKind, owner_id: int, kind: str, data: Any) -> None:
    """Replace one kind of collected data for a client or a source."""
    with write_transaction():
        ConfigData.insert(
            owner_kind=owner_kind, owner_id=owner_id, kind=kind, data=data, collected_at=utcnow()
        ).on_conflict(
            conflict_target=[ConfigData.owner_kind, ConfigData.owner_id, ConfigData.kind],
            update={ConfigData.data: data, ConfigData.collected_at: utcnow()},
        ).execute()


def load_config(owner_kind: OwnerKind, owner_id: int) -> dict[str, Any]:
    """Every kind of collected data of one owner, by kind."""
    rows = ConfigData.select().where(
        (ConfigData.owner_kind == owner_kind) & (ConfigData.owner_id == owner_id)
    )
    return {row.kind: row.data for row in rows}


def collected_at(owner_kind: OwnerKind, owner_id: int) -> dt.datetime | None:
    rows = ConfigData.select(ConfigData.collected_at).where(
        (ConfigData.owner_kind == owner_kind) & (ConfigData.owner_id == owner_id)
    )
    times = [row.collected_at for row in rows]
    return min(times) if times else None


def delete_config(owner_kind: OwnerKind, owner_id: int) -> int:
    """Forget everything collected for one owner; returns how many kinds were removed."""
    with write_transaction():
        return int(
            ConfigData.delete()
            .where((ConfigData.owner_kind == owner_kind) & (ConfigData.owner_id == owner_id))
            .execute()
        )
