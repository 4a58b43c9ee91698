"""Postal addresses in Magento's shape, written in the habits of each country."""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

from sandbox.data.stores import REGIONS

# House-number and extra-line habits. These are formats, not data: Faker supplies the
# streets, towns, postcodes and phones.
_GERMAN_NUMBER_SUFFIXES = ("", "", "", "", "a", "b", "c", "-14", " / 3")
_GERMAN_EXTRA_LINES = ("Hinterhaus", "2. OG links", "Aufgang B", "Zimmer 4.12")
_FRENCH_NUMBER_SUFFIXES = ("", "", "", " bis", " ter")
_FRENCH_EXTRA_LINES = ("Bâtiment B", "Escalier 3", "Résidence Les Tilleuls", "BP 42")
_ENGLISH_UNITS = ("Apt", "Suite", "Unit", "Flat")
_ENGLISH_EXTRA_LINES = ("Attn: Receiving", "Building 7", "c/o Front Desk")

NO_REGION: dict[str, Any] = {"region_code": None, "region": None, "region_id": 0}

# The shop's address attributes: Magento's own, then the one this shop added (a DHL
# "Postnummer", which a Packstation delivery needs). Code -> (label, frontend input).
SYSTEM_ADDRESS_ATTRIBUTES = {
    "prefix": ("Name Prefix", "text"),
    "firstname": ("First Name", "text"),
    "middlename": ("Middle Name/Initial", "text"),
    "lastname": ("Last Name", "text"),
    "suffix": ("Name Suffix", "text"),
    "company": ("Company", "text"),
    "street": ("Street Address", "multiline"),
    "city": ("City", "text"),
    "country_id": ("Country", "select"),
    "region": ("State/Province", "text"),
    "region_id": ("State/Province", "hidden"),
    "postcode": ("Zip/Postal Code", "text"),
    "telephone": ("Phone Number", "text"),
    "fax": ("Fax", "text"),
    "vat_id": ("VAT Number", "text"),
}
CUSTOM_ADDRESS_ATTRIBUTES = {"dhl_post_number": ("DHL Postnummer", "text")}
POST_NUMBER_COUNTRIES = ("DE", "AT")


def _german_street(fake: Faker, rng: random.Random) -> list[str]:
    street = str(fake.street_name())
    if street.endswith("straße") and rng.random() < 0.5:
        street = street[: -len("straße")] + "str."
    number = f"{rng.randint(1, 180)}{rng.choice(_GERMAN_NUMBER_SUFFIXES)}"
    lines = [f"{street} {number}"]
    if rng.random() < 0.2:
        lines.append(rng.choice(_GERMAN_EXTRA_LINES))
    if rng.random() < 0.05:
        lines.append(f"c/o {fake.last_name()}")
    return lines


def _french_street(fake: Faker, rng: random.Random, country_id: str) -> list[str]:
    street = str(fake.street_name())
    number = f"{rng.randint(1, 140)}{rng.choice(_FRENCH_NUMBER_SUFFIXES)}"
    if country_id == "BE" or rng.random() < 0.15:
        # Belgian habit (and a common variant): street first, number after.
        lines = [f"{street[:1].upper()}{street[1:]} {number}"]
    else:
        lines = [f"{number} {street}"]
    if rng.random() < 0.2:
        lines.append(rng.choice(_FRENCH_EXTRA_LINES))
    if rng.random() < 0.05:
        lines.append(f"Appartement {rng.randint(1, 60)}")
    return lines


def _english_street(fake: Faker, rng: random.Random) -> list[str]:
    lines = [f"{fake.building_number()} {fake.street_name()}"]
    if rng.random() < 0.25:
        lines.append(f"{rng.choice(_ENGLISH_UNITS)} {rng.randint(1, 400)}")
    if rng.random() < 0.05:
        lines.append(rng.choice(_ENGLISH_EXTRA_LINES))
    return lines


def street_lines(fake: Faker, rng: random.Random, country_id: str) -> list[str]:
    """One to three street lines in the country's usual format."""
    if country_id in ("DE", "AT", "CH"):
        return _german_street(fake, rng)
    if country_id in ("FR", "BE"):
        return _french_street(fake, rng, country_id)
    return _english_street(fake, rng)


def region_of(country_id: str, rng: random.Random) -> dict[str, Any]:
    """A region object for countries where Magento requires one, else the empty region."""
    choices = REGIONS.get(country_id)
    if not choices:
        return dict(NO_REGION)
    region_id, code, name = rng.choice(choices)
    return {"region_code": code, "region": name, "region_id": region_id}


def build_address(
    fake: Faker,
    rng: random.Random,
    *,
    address_id: int,
    customer_id: int,
    country_id: str,
    firstname: str,
    lastname: str,
    company: str | None = None,
    vat_id: str | None = None,
) -> dict[str, Any]:
    """A customer address as Magento returns it (absent optional fields are left out)."""
    region = region_of(country_id, rng)
    address: dict[str, Any] = {
        "id": address_id,
        "customer_id": customer_id,
        "region": region,
        "region_id": region["region_id"],
        "country_id": country_id,
        "street": street_lines(fake, rng, country_id),
        "telephone": str(fake.phone_number()),
        "postcode": str(fake.postcode()),
        "city": str(fake.city()),
        "firstname": firstname,
        "lastname": lastname,
    }
    if company:
        address["company"] = company
    if vat_id:
        address["vat_id"] = vat_id
    return address


def post_number_of(country_id: str, rng: random.Random) -> list[dict[str, Any]]:
    """The custom attributes of an address: a DHL Postnummer on some German and Austrian ones."""
    if country_id not in POST_NUMBER_COUNTRIES or rng.random() >= 0.15:
        return []
    return [{"attribute_code": "dhl_post_number", "value": str(rng.randint(10**7, 10**9))}]
