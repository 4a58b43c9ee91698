"""Customer ``i`` of a seeded dataset, built on demand in Magento's JSON shape.

``customer_summary`` gives the fields that cost no Faker call (ids, scope, group, gender,
timestamps); searches filter on those without building whole customers.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sandbox.data.addresses import build_address, post_number_of
from sandbox.data.companies import VAT_COUNTRIES, company_name, vat_id
from sandbox.data.dirty import ADDRESS_KINDS, DirtyKind, dirty_kinds, spoil_customer
from sandbox.data.people import PersonName, email_address, faker_for, name_locale, person_name
from sandbox.data.seeding import mix, pick_weighted
from sandbox.data.stores import (
    ADDRESS_LOCALES,
    BUSINESS_GROUP_IDS,
    STORE_GROUPS,
    WEBSITES,
    StoreView,
    store_view,
)

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
EPOCH = datetime(2021, 1, 1)
# Customer i registers about STEP_SECONDS after customer i-1, so ids follow creation order.
STEP_SECONDS = 120
# Imports touch consecutive blocks of customers in one second: incremental readers must
# cope with many records sharing one ``updated_at``.
IMPORT_BLOCK = 64
ADDRESS_IDS_PER_CUSTOMER = 4

_STORE_WEIGHTS = ((1, 30), (2, 8), (3, 22), (4, 8), (5, 14), (6, 6), (0, 12))
_GROUP_WEIGHTS = ((1, 60), (2, 10), (3, 9), (4, 8), (5, 7))
_GENDER_WEIGHTS = ((0, 25), (1, 35), (2, 35), (3, 5))
_ADDRESS_COUNT_WEIGHTS = ((0, 15), (1, 45), (2, 25), (3, 10), (4, 5))

# Cheap fields: filtering or sorting on these needs no Faker call.
SUMMARY_FIELDS = frozenset(
    {
        "id",
        "entity_id",
        "group_id",
        "created_at",
        "updated_at",
        "created_in",
        "gender",
        "store_id",
        "website_id",
        "disable_auto_group_change",
    }
)


def stamp(moment: datetime) -> str:
    """Magento's UTC timestamp text."""
    return moment.strftime(TIMESTAMP_FORMAT)


def _default_view(website_id: int) -> StoreView:
    return store_view(STORE_GROUPS[WEBSITES[website_id].default_group_id].default_store_id)


def _scope(seed: int, index: int, kinds: frozenset[DirtyKind], value: int) -> tuple[int, int]:
    if DirtyKind.SHARED_EMAIL in kinds:
        # Registered again on the next website with the e-mail of customer index-1.
        _, partner_website = _scope(seed, index - 1, frozenset(), mix(seed, index - 1))
        website_id = partner_website % 3 + 1
        return _default_view(website_id).id, website_id
    store_id = pick_weighted(value, _STORE_WEIGHTS)
    if store_id == 0:
        return 0, 1 + (value >> 20) % 3
    return store_id, store_view(store_id).website_id


def _updated_at(index: int, created: datetime, value: int) -> datetime:
    habit = (value >> 40) % 100
    if habit < 30:
        block_end = ((index - 1) // IMPORT_BLOCK + 1) * IMPORT_BLOCK
        return EPOCH + timedelta(seconds=block_end * STEP_SECONDS + 3600)
    if habit < 70:
        return created
    return created + timedelta(seconds=(value >> 48) % (90 * 86400))


def customer_summary(seed: int, index: int, dirty_share: float) -> dict[str, Any]:
    """The cheap fields of customer ``index`` (see ``SUMMARY_FIELDS``)."""
    value = mix(seed, index)
    kinds = dirty_kinds(seed, index, dirty_share)
    store_id, website_id = _scope(seed, index, kinds, value)
    created = EPOCH + timedelta(seconds=index * STEP_SECONDS + (value >> 24) % STEP_SECONDS)
    gender = pick_weighted(value >> 8, _GENDER_WEIGHTS)
    summary: dict[str, Any] = {
        "id": index,
        "group_id": pick_weighted(value >> 12, _GROUP_WEIGHTS),
        "created_at": stamp(created),
        "updated_at": stamp(_updated_at(index, created, value)),
        "created_in": store_view(store_id).name,
        "store_id": store_id,
        "website_id": website_id,
        "disable_auto_group_change": 1 if (value >> 56) % 10 == 0 else 0,
    }
    # Unset gender is sometimes an explicit 0 and sometimes absent, as in real payloads.
    if gender or (value >> 60) % 2:
        summary["gender"] = gender
    return summary


def shop_view(summary: dict[str, Any]) -> StoreView:
    """The store view whose language a customer uses (the website's default for admin-made)."""
    if summary["store_id"] == 0:
        return _default_view(summary["website_id"])
    return store_view(summary["store_id"])


def _identity(seed: int, index: int, summary: dict[str, Any]) -> tuple[PersonName, str]:
    view = shop_view(summary)
    rng = random.Random(mix(seed, index, 1))
    locale = name_locale(view.locale, rng)
    fake = faker_for(locale, mix(seed, index, 2))
    name = person_name(fake, rng, summary.get("gender", 0), view.locale[:2])
    return name, email_address(name, index, str(fake.free_email_domain()))


def _address_locale(view: StoreView, country_id: str) -> str:
    return view.locale if country_id == view.countries[0] else ADDRESS_LOCALES[country_id]


def _addresses(
    seed: int, index: int, view: StoreView, name: PersonName, business: bool, count: int
) -> list[dict[str, Any]]:
    rng = random.Random(mix(seed, index, 3))
    home = rng.choice(view.countries)
    company: str | None = None
    vat: str | None = None
    addresses = []
    for slot in range(count):
        country_id = home if slot == 0 or rng.random() < 0.8 else rng.choice(view.countries)
        fake = faker_for(_address_locale(view, country_id), mix(seed, index, 10 + slot))
        if business and company is None:
            company = company_name(fake)
            if country_id in VAT_COUNTRIES and rng.random() < 0.8:
                vat = vat_id(country_id, rng)
        first, last = name.firstname, name.lastname
        if slot > 0 and rng.random() < 0.15:  # a gift recipient
            first, last = str(fake.first_name()), str(fake.last_name())
        address = build_address(
            fake,
            rng,
            address_id=(index - 1) * ADDRESS_IDS_PER_CUSTOMER + slot + 1,
            customer_id=index,
            country_id=country_id,
            firstname=first,
            lastname=last,
            company=company if slot == 0 or rng.random() < 0.5 else None,
            vat_id=vat if slot == 0 else None,
        )
        if name.prefix and first == name.firstname:
            address["prefix"] = name.prefix
        # Its own random stream, so the rest of the dataset stays as it was.
        custom = post_number_of(country_id, random.Random(mix(seed, index, 40 + slot)))
        if custom:
            address["custom_attributes"] = custom
        addresses.append(address)
    return addresses


def _mark_defaults(customer: dict[str, Any], rng: random.Random) -> None:
    addresses = customer["addresses"]
    if not addresses or rng.random() < 0.05:  # some customers never picked a default
        return
    billing = addresses[0]
    shipping = addresses[1] if len(addresses) > 1 and rng.random() < 0.3 else billing
    billing["default_billing"] = True
    shipping["default_shipping"] = True
    customer["default_billing"] = str(billing["id"])
    customer["default_shipping"] = str(shipping["id"])


def build_customer(seed: int, index: int, dirty_share: float) -> dict[str, Any]:
    """Customer ``index`` as ``GET /V1/customers/{id}`` returns it; a pure function."""
    summary = customer_summary(seed, index, dirty_share)
    kinds = dirty_kinds(seed, index, dirty_share)
    name, email = _identity(seed, index, summary)
    if DirtyKind.SHARED_EMAIL in kinds:
        partner = customer_summary(seed, index - 1, dirty_share)
        email = _identity(seed, index - 1, partner)[1]
    rng = random.Random(mix(seed, index, 4))
    business = summary["group_id"] in BUSINESS_GROUP_IDS or rng.random() < 0.1
    count = pick_weighted(rng.getrandbits(32), _ADDRESS_COUNT_WEIGHTS)
    if kinds & ADDRESS_KINDS:
        count = max(count, 1)
    view = shop_view(summary)
    customer: dict[str, Any] = {"id": index, "group_id": summary["group_id"]}
    customer["addresses"] = _addresses(seed, index, view, name, business, count)
    _mark_defaults(customer, rng)
    customer.update(
        {key: summary[key] for key in ("created_at", "updated_at", "created_in") if key in summary}
    )
    if rng.random() < 0.75:
        customer["dob"] = (date(1940, 1, 1) + timedelta(days=rng.randrange(66 * 365))).isoformat()
    customer.update({"email": email, "firstname": name.firstname, "lastname": name.lastname})
    if name.middlename:
        customer["middlename"] = name.middlename
    if name.prefix:
        customer["prefix"] = name.prefix
    if "gender" in summary:
        customer["gender"] = summary["gender"]
    customer["store_id"] = summary["store_id"]
    vat = next((a["vat_id"] for a in customer["addresses"] if "vat_id" in a), None)
    if vat and rng.random() < 0.5:
        customer["taxvat"] = vat
    customer["website_id"] = summary["website_id"]
    customer["addresses"] = customer.pop("addresses")  # Magento's key order: after website_id
    customer["disable_auto_group_change"] = summary["disable_auto_group_change"]
    customer["extension_attributes"] = {"is_subscribed": rng.random() < 0.3}
    if rng.random() < 0.2:
        categories = sorted(rng.sample(range(3, 40), rng.randint(1, 4)))
        customer["custom_attributes"] = [
            {"attribute_code": "preferred_categories", "value": ",".join(map(str, categories))}
        ]
    spoil_customer(customer, kinds, index)
    return customer
