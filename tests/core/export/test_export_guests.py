"""Guest buyers: one contact per website and e-mail; a guest who registers is converted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from core.db.models import CustomerLink, GuestKey, Profile, RunItem
from core.emails import normalise_email
from tests.core.export.conftest import Shop, export


def _guest_orders(shop: Shop) -> list[dict]:  # type: ignore[type-arg]
    orders = [shop.dataset.order(n) for n in range(1, shop.dataset.config.orders + 1)]
    return [o for o in orders if o and o.get("customer_is_guest")]


def test_guests_become_one_contact_per_website_and_email(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    run = export(profile)
    assert run.status == "done"
    orders = [o for o in _guest_orders(shop) if o.get("customer_email")]
    buyers = {(o["store_id"], normalise_email(o["customer_email"])) for o in orders}
    keys = GuestKey.select().count()
    assert 0 < keys <= len(buyers)
    guests = [c for c in shop.contacts() if c.get("singleAccess") in (True, 1, "1")]
    identities = Counter(c["externalId"] for c in guests)
    assert identities and max(identities.values()) == 1
    linked = CustomerLink.select().where(CustomerLink.entity_type == "guest").count()
    assert linked == len(guests)
    # One result per customer and guest, and the counts are those results.
    items = RunItem.select().where(RunItem.run == run.id)
    assert items.count() == run.total
    assert run.created == len(shop.contacts()) == items.where(RunItem.action == "created").count()

    again = export(profile)
    assert (again.api_reads, again.api_writes, again.created) == (0, 0, 0)


def test_a_guest_who_registers_is_converted_not_duplicated(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    from core.export.entity import draft_customer, export_entity
    from core.export.runs import RunOptions, create_run
    from core.export.service import close_deps, open_deps
    from core.magento import Customer

    profile = make_profile()
    export(profile)
    guest_row = GuestKey.select().first()
    guest_link = CustomerLink.get(CustomerLink.entity_type == "guest")
    contacts_before = shop.stats()["contacts"]
    website_default_store = {1: 1, 2: 3, 3: 5}[guest_row.website_id]
    newcomer = Customer.model_validate(
        {
            "id": 99_001,
            "email": guest_row.email.upper(),
            "firstname": "New",
            "lastname": "Member",
            "website_id": guest_row.website_id,
            "store_id": website_default_store,
            "group_id": 1,
        }
    )
    guest_contact = guest_link.contact_id
    run = create_run(profile, "manual", RunOptions(entity_ids=[99_001]))
    deps = open_deps(run)
    try:
        plan = draft_customer(deps, newcomer)
        outcome = export_entity(deps, plan)  # type: ignore[arg-type]
    finally:
        close_deps(deps)
    assert outcome.action == "updated" and outcome.contact_id == guest_contact
    assert shop.stats()["contacts"] == contacts_before
    contact = next(c for c in shop.contacts() if c["id"] == guest_contact)
    assert contact.get("singleAccess") in (False, 0, "0", None, "")
    assert contact["externalId"] == "shop-eu:c:99001"
    assert not CustomerLink.select().where(CustomerLink.id == guest_link.id).exists()
