"""Whether a saved profile can run: complete, and consistent with the collected configuration."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from core.profiles.settings import ProfileSettings


@dataclass(frozen=True)
class Problem:
    """One missing or inconsistent piece, named by its field."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def runnable_problems(
    settings: ProfileSettings,
    *,
    client_config: dict[str, Any],
    source_config: dict[str, Any],
    schedule_ids: Collection[int],
    client_id: int,
    source_id: int,
) -> list[Problem]:
    """Every reason the profile cannot run yet; empty when it can. Pure: callers load the data."""
    problems: list[Problem] = []
    add = problems.append
    if not client_config:
        add(
            Problem(
                "client",
                "PlentyONE configuration not collected: run "
                f"'plentysync customer collect-config --client {client_id}'",
            )
        )
    if not source_config:
        add(
            Problem(
                "source",
                "Magento configuration not collected: run "
                f"'plentysync customer collect-config --source {source_id}'",
            )
        )
    problems += _schedule_problems(settings, schedule_ids)
    problems += _store_problems(settings, client_config, source_config)
    problems += _customer_problems(settings, client_config, source_config)
    problems += _address_field_problems(settings, source_config)
    return problems


def _schedule_problems(settings: ProfileSettings, schedule_ids: Collection[int]) -> list[Problem]:
    section = settings.schedule
    problems = []
    if section.status and section.schedule_id is None:
        problems.append(
            Problem(
                "schedule.schedule_id", "required while schedule.status is on (or turn status off)"
            )
        )
    for name in ("schedule_id", "reconcile_schedule_id"):
        value = getattr(section, name)
        if value is not None and value not in schedule_ids:
            problems.append(Problem(f"schedule.{name}", f"no schedule with id {value}"))
    return problems


def _ids(items: Any, key: str = "id") -> set[Any]:
    return {item[key] for item in items or []}


KNOWN_SHOWN = 10  # more than this many known values would bury the line; config show has all


def _label(value: Any, name: str | None = None) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} ({name})" if name else text


def _known(items: Any, key: str = "id", name: str | None = "name") -> list[str]:
    """``id (name)`` of every collected item, in id order."""
    rows = sorted(items or [], key=lambda item: float(item[key]))
    return [_label(row[key], row.get(name) if name else None) for row in rows]


def unknown_value(what: str, value: Any, known: list[str]) -> str:
    """``plentyId 1000 unknown; known: 12345``: at most ten known values, then an ellipsis."""
    shown = ", ".join(known[:KNOWN_SHOWN]) or "none collected"
    more = ", …" if len(known) > KNOWN_SHOWN else ""
    return f"{what} {_label(value)} unknown; known: {shown}{more}"


def _store_problems(
    settings: ProfileSettings, client: dict[str, Any], source: dict[str, Any]
) -> list[Problem]:
    store = settings.store
    problems = []
    if not store.store_mapping:
        problems.append(Problem("store.store_mapping", "map at least one store"))
    if not store.is_active_store_filter and not any(
        row.store_id is None for row in store.store_mapping
    ):
        problems.append(
            Problem(
                "store.store_mapping",
                "with the store filter off, add a fallback row (store '*') for unmapped stores",
            )
        )
    languages = set(client.get("languages") or [])
    plenty_ids = _ids(client.get("webstores"), "plentyId")
    store_ids = _ids(source.get("store_views")) | {0}
    known_languages = sorted(languages)
    known_plenty_ids = _known(client.get("webstores"), "plentyId")
    known_stores = _known(source.get("store_views"), name="code")
    for i, row in enumerate(store.store_mapping):
        where = f"store.store_mapping[{i}]"
        if client and row.locale not in languages:
            problems.append(
                Problem(
                    f"{where}.locale",
                    unknown_value("PlentyONE language", repr(row.locale), known_languages),
                )
            )
        if client and row.plenty_id not in plenty_ids:
            problems.append(
                Problem(
                    f"{where}.plenty_id", unknown_value("plentyId", row.plenty_id, known_plenty_ids)
                )
            )
        if source and row.store_id is not None and row.store_id not in store_ids:
            problems.append(
                Problem(
                    f"{where}.store_id",
                    unknown_value("Magento store view", row.store_id, known_stores),
                )
            )
    referrers = {float(r) for r in _ids(client.get("referrers"))}
    known_referrers = _known(client.get("referrers"))
    if store.referrer_id is None:
        problems.append(Problem("store.referrer_id", "choose the referrer of exported contacts"))
    elif client and store.referrer_id not in referrers:
        problems.append(
            Problem(
                "store.referrer_id", unknown_value("referrer", store.referrer_id, known_referrers)
            )
        )
    websites = _ids(source.get("websites"))
    known_websites = _known(source.get("websites"), name="code")
    for i, override in enumerate(store.website_referrers):
        where = f"store.website_referrers[{i}]"
        if client and override.referrer_id not in referrers:
            problems.append(
                Problem(
                    f"{where}.referrer_id",
                    unknown_value("referrer", override.referrer_id, known_referrers),
                )
            )
        if source and override.website_id not in websites:
            problems.append(
                Problem(
                    f"{where}.website_id",
                    unknown_value("Magento website", override.website_id, known_websites),
                )
            )
    return problems


def _customer_problems(
    settings: ProfileSettings, client: dict[str, Any], source: dict[str, Any]
) -> list[Problem]:
    customer = settings.customer
    problems = []
    classes = {int(c) for c in _ids(client.get("classes"))}
    groups = _ids(source.get("groups"))
    known_classes = _known(client.get("classes"))
    known_groups = _known(source.get("groups"), name="code")

    def unknown_class(value: int) -> str:
        return unknown_value("PlentyONE customer class", value, known_classes)

    def unknown_group(value: int) -> str:
        return unknown_value("Magento customer group", value, known_groups)

    if client and customer.default_group is not None and customer.default_group not in classes:
        problems.append(Problem("customer.default_group", unknown_class(customer.default_group)))
    for i, row in enumerate(customer.group_mapping):
        where = f"customer.group_mapping[{i}]"
        if client and row.plenty_class_id not in classes:
            problems.append(Problem(f"{where}.plenty_class_id", unknown_class(row.plenty_class_id)))
        if source and row.magento_group_id not in groups:
            problems.append(
                Problem(f"{where}.magento_group_id", unknown_group(row.magento_group_id))
            )
    for i, group_id in enumerate(customer.b2b_group_ids):
        if source and group_id not in groups:
            problems.append(Problem(f"customer.b2b_group_ids[{i}]", unknown_group(group_id)))
    return problems


# Mapping sources that are not address attributes: the customer's e-mail, and street lines.
_NOT_ATTRIBUTES = frozenset({"email"})


def _address_field_problems(settings: ProfileSettings, source: dict[str, Any]) -> list[Problem]:
    """Address-field rows reading an attribute the shop does not have.

    Checked only once the shop's address attributes are collected (sources collected before
    plentysync read them have none stored; collecting again adds them).
    """
    attributes = source.get("address_attributes")
    if not attributes:
        return []
    codes = {str(a["code"]) for a in attributes}
    # The shop's own attributes first: they are what an operator is most likely looking for.
    known = sorted(codes, key=lambda code: (not _is_custom(attributes, code), code))
    problems = []
    for i, row in enumerate(settings.customer.address_field_mapping):
        code = row.magento_field.split("[", 1)[0]
        if code in _NOT_ATTRIBUTES or code in codes:
            continue
        problems.append(
            Problem(
                f"customer.address_field_mapping[{i}].magento_field",
                unknown_value("Magento address attribute", repr(code), known),
            )
        )
    return problems


def _is_custom(attributes: list[dict[str, Any]], code: str) -> bool:
    return any(a["code"] == code and a.get("custom") for a in attributes)
