"""Collected configuration, indexed for mapping: PlentyONE ids and Magento store structure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Where PlentyONE lists several ids for one ISO code (special territories), the country proper.
_PREFERRED = {"DE": 1, "GB": 12, "US": 28, "ES": 8, "IT": 15, "PT": 22, "GR": 13, "FR": 10}


@dataclass(frozen=True)
class PlentyReference:
    """What the PlentyONE system knows: classes, referrers, languages, countries and states."""

    class_ids: frozenset[int] = frozenset()
    referrer_ids: frozenset[float] = frozenset()
    languages: frozenset[str] = frozenset()
    country_ids: dict[str, int] = field(default_factory=dict)
    state_ids: dict[int, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> PlentyReference:
        countries: dict[str, int] = {}
        states: dict[int, dict[str, int]] = {}
        for country in data.get("countries") or []:
            iso = str(country.get("iso2") or "").upper()
            cid = int(country["id"])
            if iso and (iso not in countries or _PREFERRED.get(iso) == cid):
                countries[iso] = cid
            by_name: dict[str, int] = {}
            for state in country.get("states") or []:
                for label in (state.get("code"), state.get("name")):
                    if label:
                        by_name[str(label).casefold()] = int(state["id"])
            if by_name:
                states[cid] = by_name
        return cls(
            class_ids=frozenset(int(c["id"]) for c in data.get("classes") or []),
            referrer_ids=frozenset(float(r["id"]) for r in data.get("referrers") or []),
            languages=frozenset(data.get("languages") or []),
            country_ids=countries,
            state_ids=states,
        )

    def state_id(self, country_id: int, *labels: str | None) -> int | None:
        table = self.state_ids.get(country_id, {})
        for label in labels:
            if label and label.casefold() in table:
                return table[label.casefold()]
        return None


@dataclass(frozen=True)
class ShopReference:
    """What the Magento shop knows: which website a store belongs to, gender labels."""

    website_of_store: dict[int, int] = field(default_factory=dict)
    default_store_of_website: dict[int, int] = field(default_factory=dict)
    gender_labels: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> ShopReference:
        return cls(
            website_of_store={
                int(v["id"]): int(v["website_id"]) for v in data.get("store_views") or []
            },
            default_store_of_website={
                int(w["id"]): int(w["default_store_id"])
                for w in data.get("websites") or []
                if w.get("default_store_id") is not None
            },
            gender_labels={int(k): str(v) for k, v in (data.get("gender_labels") or {}).items()},
        )

    def effective_store(self, store_id: int | None, website_id: int | None) -> int | None:
        """The store view of a record; store 0 (admin, imports) means its website's default."""
        if store_id:
            return store_id
        if website_id is not None:
            return self.default_store_of_website.get(website_id)
        return None
