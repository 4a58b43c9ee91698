"""The editor's Select options from the collected configuration, by the field path they fill.

``store.store_mapping.store_id`` (a row field: the list's path, then the field) offers the
Magento store views; ``customer.default_group`` (a plain field) the PlentyONE classes. Where a
field needs configuration that was never collected, the hint says which key collects it.
"""

from __future__ import annotations

from typing import Any

from tui.services_profiles import EditorContext, ProfileChoices

COLLECT_KEY = "ctrl+g"

# Which collected configuration each row editor's Selects need: client (PlentyONE), source.
ROWS_NEED = {
    "store.store_mapping": ("client", "source"),
    "store.website_referrers": ("client", "source"),
    "customer.group_mapping": ("client", "source"),
    "customer.address_field_mapping": ("source",),
}


def _named(items: Any) -> list[tuple[str, Any]]:
    return [(f"{item.id} {item.name}".strip(), item.id) for item in items]


def choice_options(
    context: EditorContext, choices: ProfileChoices | None
) -> dict[str, list[tuple[str, Any]]]:
    """Options by field path; paths with nothing collected are left out (plain inputs)."""
    options: dict[str, list[tuple[str, Any]]] = {
        "schedule.schedule_id": [(f"{i} {name}", i) for i, name in context.schedules],
        "schedule.reconcile_schedule_id": [(f"{i} {name}", i) for i, name in context.schedules],
        "customer.address_field_mapping.plenty_field": [(t, t) for t in context.address_targets],
    }
    if choices is None:
        return options
    client, source = choices.client, choices.source
    if client.collected:
        classes, referrers = _named(client.classes), _named(client.referrers)
        options |= {
            "customer.default_group": classes,
            "customer.group_mapping.plenty_class_id": classes,
            "store.referrer_id": referrers,
            "store.website_referrers.referrer_id": referrers,
            "store.store_mapping.plenty_id": [
                (f"{w.plenty_id} {w.name}", w.plenty_id) for w in client.webstores
            ],
            "store.store_mapping.locale": [(code, code) for code in client.languages],
        }
    if source.collected:
        options |= {
            "store.store_mapping.store_id": [  # empty: the fallback row
                (f"{v.id} {v.code} · {v.name}", v.id) for v in source.store_views
            ],
            "store.website_referrers.website_id": [
                (f"{w.id} {w.code} · {w.name}", w.id) for w in source.websites
            ],
            "customer.group_mapping.magento_group_id": [
                (f"{g.id} {g.code}", g.id) for g in source.groups
            ],
            "customer.address_field_mapping.magento_field": [
                (code, code) for code in (*source.address_attributes, "street[1]", "street[2]")
            ],
        }
    return options


def choice_hints(choices: ProfileChoices | None) -> dict[str, str]:
    """For each row editor whose choices are missing: what is missing and the key that collects."""
    hints = {}
    for path, needs in ROWS_NEED.items():
        missing = []
        for kind in needs:
            view: Any = getattr(choices, kind, None) if choices is not None else None
            if view is None or not view.collected:
                missing.append(view.owner if view is not None else kind)
        if missing:
            hints[path] = (
                f"nothing collected for {' and '.join(missing)}: press {COLLECT_KEY} to "
                "collect configuration (values can be typed meanwhile)"
            )
    return hints
