"""The settings of a customer export profile, section by section as sysadmins know them.

Saving needs only well-formed values (a draft); running needs more, checked against the
configuration collected from PlentyONE and Magento (``core.profiles.runnable``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    field_validator,
    model_validator,
)

from core.profiles.address_fields import (
    EXTRA_STREET_LINES,
    REQUIRED_SOURCES,
    canonical_target,
    default_address_mapping,
)

API_PAGE_MAX = 250  # PlentyONE clamps itemsPerPage here
COLLECTION_SIZE_MAX = 500  # the largest collection size the profile format allows
_LOCALE = re.compile(r"^[a-z]{2}$")
_MAGENTO_FIELD = re.compile(r"^[a-z][a-z0-9_]*(\[[0-2]\])?$")

GENDERS = ("male", "female", "diverse", "company")
_GENDER_NUMBERS = {"1": "male", "2": "female", "3": "diverse", "4": "company"}


def _gender(value: object) -> object:
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        key = value.strip().lower()
        return _GENDER_NUMBERS.get(key, key)
    return value


Gender = Annotated[Literal["male", "female", "diverse", "company"], BeforeValidator(_gender)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)


class ScheduleSection(Section):
    """When the profile runs by itself and how much it keeps of each run."""

    status: bool = Field(default=True, description="run on the schedule")
    schedule_id: int | None = Field(default=None, ge=1, description="the watch schedule")
    reconcile_schedule_id: int | None = Field(
        default=None, ge=1, description="optional schedule for a full export"
    )
    process_batch_size: int = Field(default=100, ge=1, le=1000)
    enable_history: bool = True


class HttpApiSection(Section):
    """How the export writes to PlentyONE and how large its list pages are."""

    api_behaviour: Literal["append", "replace", "sync"] = "append"
    collection_size: int = Field(
        default=150,
        ge=1,
        le=COLLECTION_SIZE_MAX,
        description=f"items per list page; a larger value is lowered to {COLLECTION_SIZE_MAX}",
    )
    _notices: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _clamp_collection_size(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        """A size above the maximum is lowered to it, with a notice rather than a refusal."""
        notices = []
        if isinstance(data, dict):
            raw = data.get("collection_size")
            try:
                size = int(raw) if isinstance(raw, int | float | str) else None
            except ValueError:
                size = None  # the field's own validation names the bad value
            if size is not None and size > COLLECTION_SIZE_MAX:
                notices.append(
                    f"http_api.collection_size: {size} is above the maximum of "
                    f"{COLLECTION_SIZE_MAX}; {COLLECTION_SIZE_MAX} is used"
                )
                data = {**data, "collection_size": COLLECTION_SIZE_MAX}
        section = handler(data)
        if isinstance(section, HttpApiSection):
            section._notices = notices
        return section

    @property
    def page_size(self) -> int:
        """The page size really asked for: PlentyONE answers at most 250 items a page."""
        return min(self.collection_size, API_PAGE_MAX)

    @property
    def scheduled_behaviour(self) -> Literal["append", "sync"]:
        """Replace is a one-shot command; schedules and queues run such a profile as append."""
        return "sync" if self.api_behaviour == "sync" else "append"


class StoreMappingRow(Section):
    """A Magento store view (``store_id``; empty = every other store) -> plentyId and language."""

    store_id: int | None = Field(default=None, ge=0, description="empty: the fallback row")
    plenty_id: int = Field(ge=1)
    locale: str = Field(description="PlentyONE language code, e.g. de, en, fr, cz, se")

    @field_validator("store_id", mode="before")
    @classmethod
    def _fallback(cls, value: object) -> object:
        return None if value in ("*", "", "default") else value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        value = value.strip().lower()
        if not _LOCALE.match(value):
            raise ValueError("must be a two-letter PlentyONE language code such as de, en, fr")
        return value


class WebsiteReferrerRow(Section):
    """A referrer for one Magento website, overriding the profile's referrer."""

    website_id: int = Field(ge=0)
    referrer_id: float = Field(ge=0)


class StoreSection(Section):
    """Which stores are exported, to which plentyId and language, under which referrer."""

    store_mapping: list[StoreMappingRow] = Field(default_factory=list)
    is_active_store_filter: bool = False
    referrer_id: float | None = Field(
        default=None,
        ge=0,
        description="given to contacts when they are created; PlentyONE keeps it afterwards",
    )
    website_referrers: list[WebsiteReferrerRow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_rows(self) -> StoreSection:
        stores = [row.store_id for row in self.store_mapping]
        repeated = sorted(
            {str(s) if s is not None else "fallback" for s in stores if stores.count(s) > 1}
        )
        if repeated:
            raise ValueError(f"store_mapping lists a store more than once: {', '.join(repeated)}")
        websites = [row.website_id for row in self.website_referrers]
        if len(set(websites)) != len(websites):
            raise ValueError("website_referrers lists a website more than once")
        return self

    def row_for(self, store_id: int) -> StoreMappingRow | None:
        """The mapping row of a store, the fallback row when the filter is off, else None."""
        for row in self.store_mapping:
            if row.store_id == store_id:
                return row
        if self.is_active_store_filter:
            return None
        return next((row for row in self.store_mapping if row.store_id is None), None)

    def referrer_for(self, website_id: int) -> float | None:
        for row in self.website_referrers:
            if row.website_id == website_id:
                return row.referrer_id
        return self.referrer_id


class GroupMappingRow(Section):
    magento_group_id: int = Field(ge=0)
    plenty_class_id: int = Field(ge=1)


class GenderMappingRow(Section):
    prefix: str = Field(min_length=1, max_length=40)
    gender: Gender

    @property
    def key(self) -> str:
        return prefix_key(self.prefix)


def prefix_key(prefix: str) -> str:
    """A prefix as compared: case, dots, spaces and other punctuation do not count."""
    return "".join(ch for ch in prefix.casefold() if ch.isalnum())


class AddressFieldRow(Section):
    magento_field: str
    plenty_field: str

    @field_validator("magento_field")
    @classmethod
    def _source(cls, value: str) -> str:
        value = value.strip()
        if value == "street[0]":
            value = "street"
        if not _MAGENTO_FIELD.match(value):
            raise ValueError(f"{value!r} is not a Magento address attribute code")
        return value

    @field_validator("plenty_field")
    @classmethod
    def _target(cls, value: str) -> str:
        return canonical_target(value)

    @model_validator(mode="after")
    def _street_lines(self) -> AddressFieldRow:
        allowed = EXTRA_STREET_LINES.get(self.magento_field)
        if allowed and self.plenty_field not in allowed:
            raise ValueError(
                f"{self.magento_field} may go to {' or '.join(allowed)} only: address2 holds "
                "the house number split from the first street line"
            )
        return self


AccountTrigger = Literal["never", "vat_id", "b2b_groups", "vat_id_or_b2b_groups"]


class CustomerSection(Section):
    """What a contact gets: class, gender, account and address fields."""

    is_active: bool = True
    create_address: bool = False
    default_group: int | None = Field(default=None, ge=1, description="PlentyONE class id")
    group_mapping: list[GroupMappingRow] = Field(default_factory=list)
    gender_mapping: list[GenderMappingRow] = Field(default_factory=list)
    address_field_mapping: list[AddressFieldRow] = Field(
        default_factory=lambda: [AddressFieldRow(**row) for row in default_address_mapping()]
    )
    account_trigger: AccountTrigger = "vat_id"
    b2b_group_ids: list[int] = Field(default_factory=list)
    other_addresses: Literal["delivery", "skip"] = "delivery"
    export_guests: bool = True
    export_order: Literal["id", "recent_first"] = Field(
        default="id",
        description=(
            "order of a full export: id (oldest account first) or recent_first "
            "(most recently changed customers first, so they reach PlentyONE on the first day)"
        ),
    )

    @model_validator(mode="after")
    def _rows(self) -> CustomerSection:
        groups = [row.magento_group_id for row in self.group_mapping]
        if len(set(groups)) != len(groups):
            raise ValueError("group_mapping maps a Magento group more than once")
        prefixes = [row.key for row in self.gender_mapping]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("gender_mapping maps the same prefix more than once")
        mapped = {row.magento_field: row.plenty_field for row in self.address_field_mapping}
        missing = [
            f"{src} -> {dst}" for src, dst in REQUIRED_SOURCES.items() if mapped.get(src) != dst
        ]
        if missing:
            raise ValueError(
                "address_field_mapping must map the required fields: " + ", ".join(missing)
            )
        targets = [row.plenty_field for row in self.address_field_mapping]
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            raise ValueError(f"address_field_mapping fills {', '.join(twice)} more than once")
        if (
            self.account_trigger in ("b2b_groups", "vat_id_or_b2b_groups")
            and not self.b2b_group_ids
        ):
            raise ValueError(f"account_trigger {self.account_trigger!r} needs b2b_group_ids")
        return self

    def class_for(self, group_id: int | None) -> int | None:
        for row in self.group_mapping:
            if row.magento_group_id == group_id:
                return row.plenty_class_id
        return self.default_group

    def gender_for(self, prefix: str | None) -> str | None:
        if not prefix:
            return None
        key = prefix_key(prefix)
        return next((row.gender for row in self.gender_mapping if row.key == key), None)


class EventSection(Section):
    """Reserved: live triggers come from the queue and the source watch, not from events."""


class LogSection(Section):
    is_active_request_log: bool = False
    is_active_response_log: bool = False


class GuardSection(Section):
    """When a run stops by itself and waits for a person (``run resume`` or ``run cancel``)."""

    enabled: bool = Field(default=True, description="pause runs that go wrong")
    failure_window: int = Field(
        default=50, ge=1, description="judge the share of failed customers among the last N"
    )
    failure_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="pause when more than this share of the last N customers failed",
    )
    max_creates: int | None = Field(
        default=100_000,
        ge=1,
        description="pause before a run creates more contacts than this (empty: no cap)",
    )
    creates_multiple: float = Field(
        default=3.0,
        ge=1,
        description=(
            "once a full export finished: pause before a run creates more than this many "
            "times the contacts that export created"
        ),
    )


class ProfileSettings(Section):
    """Every setting of a customer export profile (sections 2 to 7; section 1 is the client)."""

    schedule: ScheduleSection = Field(default_factory=ScheduleSection)
    http_api: HttpApiSection = Field(default_factory=HttpApiSection)
    store: StoreSection = Field(default_factory=StoreSection)
    customer: CustomerSection = Field(default_factory=CustomerSection)
    event: EventSection = Field(default_factory=EventSection)
    log: LogSection = Field(default_factory=LogSection)
    guard: GuardSection = Field(default_factory=GuardSection)

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @property
    def notices(self) -> list[str]:
        """Values that were adjusted while reading the document (e.g. clamped to a maximum)."""
        return list(self.http_api._notices)

    def covered_stores(self) -> set[int] | None:
        """The store ids this profile exports; None means every store of its source."""
        if not self.store.is_active_store_filter:
            return None
        return {row.store_id for row in self.store.store_mapping if row.store_id is not None}
