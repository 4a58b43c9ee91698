"""Reference data the mapping needs: classes, types, referrers, webstores, countries, languages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from core.errors import TransientError
from core.plenty._models import ContactClass, Country, NamedType, Referrer, Webstore
from core.plenty._pagination import iter_entries, parse_page

if TYPE_CHECKING:
    from core.plenty._client import PlentyClient

CONTACT_CLASSES = "/rest/accounts/contacts/classes"
CONTACT_TYPES = "/rest/accounts/contacts/types"
CONTACT_OPTION_TYPES = "/rest/accounts/contacts/option_types"
CONTACT_OPTION_SUB_TYPES = "/rest/accounts/contacts/option_sub_types"
ADDRESS_OPTION_TYPES = "/rest/accounts/addresses/option_types"
ADDRESS_RELATION_TYPES = "/rest/accounts/addresses/relation_types"
REFERRERS = "/rest/orders/referrers"
REFERRER_SEARCH = "/rest/orders/referrers/search"
REFERRER_CHILD = "/rest/orders/referrers/{parentReferrerId}"
WEBSTORES = "/rest/webstores"
COUNTRIES = "/rest/orders/shipping/countries"

# PlentyONE's own language codes (no API lists them). Note cz, se, cn, vn: not ISO 639-1.
LANGUAGES: dict[str, str] = {
    "bg": "Bulgarian",
    "cn": "Chinese",
    "cz": "Czech",
    "da": "Danish",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "nl": "Dutch",
    "nn": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "se": "Swedish",
    "sk": "Slovak",
    "tr": "Turkish",
    "vn": "Vietnamese",
}


class ReferenceData:
    """Read-mostly lists a profile is configured against (collected into ``ConfigData``)."""

    def __init__(self, client: PlentyClient) -> None:
        self._client = client

    def contact_classes(self) -> list[ContactClass]:
        """Customer classes; PlentyONE answers an ``{id: name}`` map."""
        body = self._client.request("GET", CONTACT_CLASSES)
        if isinstance(body, Mapping):
            return [ContactClass(id=int(k), name=str(v)) for k, v in body.items()]
        return parse_page(body, ContactClass).entries

    def contact_types(self) -> list[NamedType]:
        return self._types(CONTACT_TYPES)

    def contact_option_types(self) -> list[NamedType]:
        return self._types(CONTACT_OPTION_TYPES)

    def contact_option_sub_types(self) -> list[NamedType]:
        return self._types(CONTACT_OPTION_SUB_TYPES)

    def address_option_types(self) -> list[NamedType]:
        return self._types(ADDRESS_OPTION_TYPES)

    def address_relation_types(self) -> list[NamedType]:
        return self._types(ADDRESS_RELATION_TYPES)

    def _types(self, route: str) -> list[NamedType]:
        return parse_page(self._client.request("GET", route), NamedType).entries

    def referrers(self) -> list[Referrer]:
        """Every order referrer (ids are decimals: 4.01 is a sub-referrer of 4)."""
        return parse_page(self._client.request("GET", REFERRERS), Referrer).entries

    def search_referrers(self, *, name: str | None = None) -> Iterator[Referrer]:
        """Referrers page by page, optionally only those called ``name``."""
        return iter_entries(self._client, REFERRER_SEARCH, Referrer, params={"name": name})

    def create_referrer(
        self, name: str, *, parent_id: int | None = None, is_filterable: bool = True
    ) -> Referrer:
        """Create a referrer (under ``parent_id`` as a sub-referrer); PlentyONE picks the id.

        The attributes travel in the ``data`` query parameter as ``key:value`` pairs.
        """
        data = f"name:{name},isFilterable:{'true' if is_filterable else 'false'}"
        if parent_id is None:
            body = self._client.request("POST", REFERRERS, params={"data": data})
        else:
            body = self._client.request(
                "POST", REFERRER_CHILD, path={"parentReferrerId": parent_id}, params={"data": data}
            )
        return Referrer.model_validate(_single(body))

    def webstores(self) -> list[Webstore]:
        """The clients (shops) of the system; ``storeIdentifier`` is their ``plentyId``."""
        return parse_page(self._client.request("GET", WEBSTORES), Webstore).entries

    def countries(self, *, with_states: bool = True, active_only: bool = False) -> list[Country]:
        """Countries with their PlentyONE ids (not ISO numbers) and, by default, states."""
        params: dict[str, Any] = {"with": "states" if with_states else None}
        if active_only:
            params["active"] = 1
        return parse_page(self._client.request("GET", COUNTRIES, params=params), Country).entries

    def languages(self) -> dict[str, str]:
        """PlentyONE's language codes and names; a fixed list, costs no call."""
        return dict(LANGUAGES)


def _single(body: Any) -> Any:
    if isinstance(body, list):
        if not body:
            raise TransientError("PlentyONE answered a create with an empty list")
        return body[0]
    return body
