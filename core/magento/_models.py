"""Magento records as plentysync reads them; every key may be missing.

Magento leaves null-valued fields out of its JSON and a ``fields=`` projection leaves out
more, so everything but the id is optional here and unknown keys are ignored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


def _personal() -> Any:
    # Personal data stays out of reprs, so a logged record does not leak it.
    return Field(default=None, repr=False)


class MagentoRecord(BaseModel):
    """Base of the Magento models: immutable, tolerant of missing and unknown keys."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _utc(value: datetime | None) -> datetime | None:
    # Magento's timestamps are UTC without a zone; make that explicit.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _street_lines(value: Any) -> Any:
    # Magento sends a list of lines; imports and old records may hold one newline-joined text.
    if value is None:
        return []
    return value.split("\n") if isinstance(value, str) else value


def _empty_object(value: Any) -> Any:
    # PHP serialises an empty object as [], so "no extension attributes" may arrive as a list.
    return {} if value is None or value == [] else value


UtcTime = Annotated[datetime | None, BeforeValidator(_blank_is_none), AfterValidator(_utc)]
StreetLines = Annotated[list[str], BeforeValidator(_street_lines)]
ObjectOrEmpty = Annotated[dict[str, Any], BeforeValidator(_empty_object)]


class Timestamped(MagentoRecord):
    """A record with Magento's ``updated_at`` (UTC, to the second)."""

    updated_at: UtcTime = None


class Region(MagentoRecord):
    """A customer address's region as Magento returns it (each part may be null)."""

    region_code: str | None = None
    region: str | None = None
    region_id: int | None = None


class CustomAttribute(MagentoRecord):
    attribute_code: str
    value: Any = None


class Address(MagentoRecord):
    """A customer's address book entry."""

    id: int | None = None
    customer_id: int | None = None
    region: Region | None = None
    region_id: int | None = None
    country_id: str | None = None
    street: StreetLines = Field(default_factory=list, repr=False)
    company: str | None = _personal()
    telephone: str | None = _personal()
    fax: str | None = _personal()
    postcode: str | None = _personal()
    city: str | None = None
    firstname: str | None = _personal()
    lastname: str | None = _personal()
    middlename: str | None = _personal()
    prefix: str | None = _personal()
    suffix: str | None = _personal()
    vat_id: str | None = _personal()
    default_billing: bool = False
    default_shipping: bool = False
    custom_attributes: list[CustomAttribute] = Field(default_factory=list)


class Customer(Timestamped):
    """A registered customer with its addresses."""

    id: int
    group_id: int | None = None
    default_billing: str | None = None
    default_shipping: str | None = None
    confirmation: str | None = None
    created_at: UtcTime = None
    created_in: str | None = None
    dob: str | None = _personal()
    email: str | None = _personal()
    firstname: str | None = _personal()
    lastname: str | None = _personal()
    middlename: str | None = _personal()
    prefix: str | None = _personal()
    suffix: str | None = _personal()
    taxvat: str | None = _personal()
    gender: int | None = None
    store_id: int | None = None
    website_id: int | None = None
    addresses: list[Address] = Field(default_factory=list)
    disable_auto_group_change: int | None = None
    extension_attributes: ObjectOrEmpty = Field(default_factory=dict)
    custom_attributes: list[CustomAttribute] = Field(default_factory=list)

    def custom_attribute(self, code: str) -> Any:
        """The value of custom attribute ``code``, or None when the customer has none."""
        return next((a.value for a in self.custom_attributes if a.attribute_code == code), None)

    @property
    def default_billing_id(self) -> int | None:
        """The default billing address id (Magento sends it as a string)."""
        return _address_id(self.default_billing)

    @property
    def default_shipping_id(self) -> int | None:
        """The default shipping address id (Magento sends it as a string)."""
        return _address_id(self.default_shipping)


def _address_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


class CustomerChange(Timestamped):
    """A customer that was created or changed: only the id and the change time."""

    id: int


class Group(MagentoRecord):
    """A customer group (0 is "NOT LOGGED IN" on a clean install)."""

    id: int
    code: str | None = None
    tax_class_id: int | None = None
    tax_class_name: str | None = None


class Website(MagentoRecord):
    id: int
    code: str | None = None
    name: str | None = None
    default_group_id: int | None = None


class StoreGroup(MagentoRecord):
    id: int
    website_id: int | None = None
    root_category_id: int | None = None
    default_store_id: int | None = None
    name: str | None = None
    code: str | None = None


class AddressAttribute(MagentoRecord):
    """One customer-address attribute the shop defines (its own or one an extension added)."""

    attribute_code: str
    frontend_label: str | None = None
    user_defined: bool = False


class StoreView(MagentoRecord):
    id: int
    code: str | None = None
    name: str | None = None
    website_id: int | None = None
    store_group_id: int | None = None
    is_active: int | None = None


class OrderAddress(MagentoRecord):
    """A billing or shipping address copied into an order (its region is plain text)."""

    entity_id: int | None = None
    address_type: str | None = None
    email: str | None = _personal()
    firstname: str | None = _personal()
    lastname: str | None = _personal()
    middlename: str | None = _personal()
    prefix: str | None = _personal()
    company: str | None = _personal()
    street: StreetLines = Field(default_factory=list, repr=False)
    city: str | None = None
    region: str | None = None
    region_code: str | None = None
    region_id: int | None = None
    postcode: str | None = _personal()
    country_id: str | None = None
    telephone: str | None = _personal()
    fax: str | None = _personal()
    vat_id: str | None = _personal()


class GuestBuyer(Timestamped):
    """Who bought as a guest in one order, keyed by website and normalised e-mail."""

    website_id: int | None = None
    store_id: int | None = None
    email: str = Field(repr=False)
    order_id: int
    increment_id: str | None = None
    firstname: str | None = _personal()
    lastname: str | None = _personal()
    billing_address: OrderAddress | None = None
    shipping_addresses: list[OrderAddress] = Field(default_factory=list)
