"""The shop's reference data: groups, websites, stores, genders and address attributes."""

from __future__ import annotations

from typing import Any, TypeVar

from core.errors import DataError
from core.magento._http import MagentoHttp
from core.magento._models import (
    AddressAttribute,
    Group,
    MagentoRecord,
    StoreGroup,
    StoreView,
    Website,
)
from core.magento._scan import scan_by_page

R = TypeVar("R", bound=MagentoRecord)

# Magento lists its admin scope (id 0) among websites, store groups and store views; no
# customer belongs to it, so it is left out.
ADMIN_SCOPE_ID = 0


class StoreReader:
    """Groups, websites, store groups, store views and gender labels of one shop."""

    def __init__(self, http: MagentoHttp) -> None:
        self._http = http

    def groups(self) -> list[Group]:
        """Every customer group, including 0 ("NOT LOGGED IN"), in id order."""
        found: list[Group] = []
        for page in scan_by_page(
            lambda search: self._http.search("customerGroups/search", search),
            page_size=self._http.config.page_size,
            key="id",
            sort_field="id",
        ):
            found += [Group.model_validate(item) for item in page]
        return found

    def websites(self) -> list[Website]:
        return self._list("store/websites", Website)

    def store_groups(self) -> list[StoreGroup]:
        return self._list("store/storeGroups", StoreGroup)

    def store_views(self) -> list[StoreView]:
        return self._list("store/storeViews", StoreView)

    def gender_labels(self) -> dict[int, str]:
        """Gender option id -> label, as the shop defines them (e.g. 1 Male, 2 Female)."""
        data = self._http.get("attributeMetadata/customer/attribute/gender")
        options = data.get("options") if isinstance(data, dict) else None
        if not isinstance(options, list):
            raise DataError("Magento's gender attribute metadata has no option list")
        labels: dict[int, str] = {}
        for option in options:
            value = str(option.get("value", "")) if isinstance(option, dict) else ""
            # The empty first option is the "choose one" entry of a select.
            if value.isdigit():
                labels[int(value)] = str(option.get("label") or "")
        return labels

    def address_attributes(self) -> list[AddressAttribute]:
        """Every customer-address attribute, Magento's own and the shop's custom ones."""
        return self._list("attributeMetadata/customerAddress", AddressAttribute)

    def _list(self, path: str, model: type[R]) -> list[R]:
        data: Any = self._http.get(path)
        if not isinstance(data, list):
            raise DataError(f"Magento's answer to GET {path} is not a list")
        records = [model.model_validate(item) for item in data]
        return [r for r in records if getattr(r, "id", None) != ADMIN_SCOPE_ID]
