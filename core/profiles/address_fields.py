"""Which Magento address fields may go where in a PlentyONE address.

Targets are PlentyONE's writable address fields and address options. The vendor extension's
names (firstName, street, companyName ...) are read-only aliases in PlentyONE; we accept them
on input and store the writable field they stand for.
"""

from __future__ import annotations

# Writable address fields of PlentyONE.
ADDRESS_FIELDS = (
    "name1",
    "name2",
    "name3",
    "name4",
    "address1",
    "address2",
    "address3",
    "address4",
    "postalCode",
    "town",
    "countryId",
    "stateId",
)

# Address options, by the name we use -> PlentyONE address option type id.
ADDRESS_OPTIONS = {
    "vatNumber": 1,
    "externalAddressId": 2,
    "phone": 4,
    "email": 5,
    "postNumber": 6,
    "contactPerson": 12,
    "externalCustomerId": 13,
}

TARGETS = frozenset(ADDRESS_FIELDS) | frozenset(ADDRESS_OPTIONS)

# The extension's target names, accepted on input and stored as what they mean.
TARGET_ALIASES = {
    "companyName": "name1",
    "firstName": "name2",
    "lastName": "name3",
    "careOf": "name4",
    "street": "address1",
    "houseNumber": "address2",
    "additional": "address3",
    "city": "town",
    "state": "stateId",
    "taxIdNumber": "vatNumber",
    "telephone": "phone",
}

# Targets with no place in PlentyONE, with the reason we give.
UNSUPPORTED_TARGETS = {
    "fax": "PlentyONE addresses have no fax field or option; leave fax unmapped",
}

# Magento address fields every profile must map, and the target each one has to reach.
REQUIRED_SOURCES = {
    "firstname": "name2",
    "lastname": "name3",
    "street": "address1",
    "city": "town",
    "postcode": "postalCode",
    "country_id": "countryId",
}

# Street lines: the first holds street and house number (split into address1 and address2
# for countries that write them apart), further lines may only go to address3 and address4.
EXTRA_STREET_LINES = {"street[1]": ("address3", "address4"), "street[2]": ("address3", "address4")}


def canonical_target(name: str) -> str:
    """The writable PlentyONE field a target name stands for; ValueError says what is allowed."""
    stripped = name.strip()
    if stripped in UNSUPPORTED_TARGETS:
        raise ValueError(UNSUPPORTED_TARGETS[stripped])
    target = TARGET_ALIASES.get(stripped, stripped)
    if target not in TARGETS:
        allowed = ", ".join(sorted(TARGETS))
        raise ValueError(f"unknown PlentyONE address field {name!r}; allowed: {allowed}")
    return target


def default_address_mapping() -> list[dict[str, str]]:
    """The mapping a new profile starts with: every required field plus the usual extras."""
    rows = [{"magento_field": src, "plenty_field": dst} for src, dst in REQUIRED_SOURCES.items()]
    rows += [
        {"magento_field": "company", "plenty_field": "name1"},
        {"magento_field": "telephone", "plenty_field": "phone"},
        {"magento_field": "region", "plenty_field": "stateId"},
        {"magento_field": "vat_id", "plenty_field": "vatNumber"},
    ]
    return rows
