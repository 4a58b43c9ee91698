"""What PlentyONE answers, as lenient pydantic models.

PlentyONE's JSON is loosely typed: numbers arrive as strings (``"page": "1"``, ``"valuta":
"60"``), referrer ids as floats (``1.0``), flags as ``"1"``/``""``/booleans, and every record
carries more keys than we use. The models coerce what we read, keep unknown keys (``extra``)
and never fail on a field we do not need.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _loose_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().lower()
    return text not in ("", "0", "false", "no", "null")


def _empty_to_none(value: Any) -> Any:
    return None if value == "" else value


LooseBool = Annotated[bool | None, BeforeValidator(_loose_bool)]
OptionalInt = Annotated[int | None, BeforeValidator(_empty_to_none)]
OptionalFloat = Annotated[float | None, BeforeValidator(_empty_to_none)]


class PlentyModel(BaseModel):
    """Base of every PlentyONE record: unknown keys kept, strings coerced to numbers and back."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True, populate_by_name=True)

    def extra(self, key: str, default: Any = None) -> Any:
        """A key the model does not name, as PlentyONE sent it."""
        return (self.model_extra or {}).get(key, default)


class ContactOption(PlentyModel):
    id: OptionalInt = None
    contactId: OptionalInt = None
    typeId: int
    subTypeId: OptionalInt = None
    value: str = ""
    priority: OptionalInt = 0


class AddressOption(PlentyModel):
    id: OptionalInt = None
    addressId: OptionalInt = None
    typeId: int
    value: str = ""
    position: OptionalInt = 0


class Address(PlentyModel):
    id: int
    gender: str | None = None
    name1: str | None = ""
    name2: str | None = ""
    name3: str | None = ""
    name4: str | None = ""
    address1: str | None = ""
    address2: str | None = ""
    address3: str | None = ""
    address4: str | None = ""
    postalCode: str | None = ""
    town: str | None = ""
    countryId: OptionalInt = None
    stateId: OptionalInt = None
    options: list[AddressOption] = Field(default_factory=list)

    def option(self, type_id: int) -> str | None:
        """The value of the address option of ``type_id`` (e.g. 2 = external address id)."""
        return next((o.value for o in self.options if o.typeId == type_id), None)


class AddressContactRelation(PlentyModel):
    id: OptionalInt = None
    contactId: int
    addressId: int
    typeId: int
    isPrimary: LooseBool = False


class Account(PlentyModel):
    id: int
    number: str | None = None
    companyName: str | None = ""
    taxIdNumber: str | None = ""
    externalId: str | None = None


class AccountContactRelation(PlentyModel):
    id: OptionalInt = None
    accountId: int
    contactId: int


class Contact(PlentyModel):
    id: int
    externalId: str | None = None
    number: str | None = None
    typeId: OptionalInt = None
    firstName: str | None = ""
    lastName: str | None = ""
    fullName: str | None = ""
    gender: str | None = None
    title: str | None = ""
    email: str | None = ""
    privatePhone: str | None = ""
    classId: OptionalInt = None
    referrerId: OptionalFloat = None
    plentyId: OptionalInt = None
    lang: str | None = None
    singleAccess: LooseBool = False
    blocked: LooseBool = False
    createdAt: str | None = None
    updatedAt: str | None = None
    options: list[ContactOption] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    accounts: list[Account] = Field(default_factory=list)

    @property
    def is_guest(self) -> bool:
        return bool(self.singleAccess)

    def option(self, type_id: int, sub_type_id: int | None = None) -> str | None:
        """The value of the contact option of this type (and sub-type), if any."""
        for opt in self.options:
            if opt.typeId == type_id and (sub_type_id is None or opt.subTypeId == sub_type_id):
                return opt.value
        return None


class Referrer(PlentyModel):
    id: float
    name: str | None = ""
    backendName: str | None = ""
    isEditable: LooseBool = None
    isFilterable: LooseBool = None
    origin: str | None = None


class WebstoreConfiguration(PlentyModel):
    defaultLanguage: str | None = None
    languageList: str | None = None
    defaultCurrency: str | None = None
    defaultShippingCountryId: OptionalInt = None


class Webstore(PlentyModel):
    """A PlentyONE client (shop); ``storeIdentifier`` is the ``plentyId`` contacts refer to."""

    id: int
    name: str | None = ""
    type: str | None = None
    storeIdentifier: int
    configuration: WebstoreConfiguration | None = None

    @property
    def plenty_id(self) -> int:
        return self.storeIdentifier


class CountryState(PlentyModel):
    id: int
    countryId: OptionalInt = None
    name: str | None = ""
    shortcut: str | None = None
    isoCode: str | None = None


class Country(PlentyModel):
    id: int
    name: str | None = ""
    isoCode2: str | None = None
    isoCode3: str | None = None
    active: OptionalInt = None
    lang: str | None = None
    isCountryStateMandatory: LooseBool = False
    states: list[CountryState] = Field(default_factory=list)


class NamedType(PlentyModel):
    """A reference list entry: contact types, option types, address option or relation types."""

    id: int
    name: str | None = None
    position: OptionalInt = None
    nonErasable: LooseBool = None


class ContactClass(PlentyModel):
    id: int
    name: str


class PageInfo(PlentyModel):
    """The paging envelope of a list answer (its ``entries`` are parsed separately)."""

    page: int = 1
    totalsCount: int = 0
    isLastPage: LooseBool = True
    lastPageNumber: int = 1
    firstOnPage: OptionalInt = None
    lastOnPage: OptionalInt = None
    itemsPerPage: OptionalInt = None
