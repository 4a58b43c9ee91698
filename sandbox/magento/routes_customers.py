"""Customers, customer groups and the gender attribute's options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sandbox.data import GENDER_LABELS, SUMMARY_FIELDS, CustomerGroup, Dataset, ShopLayout
from sandbox.magento.errors import no_such_entity
from sandbox.magento.routing import path_id, protected, search_response
from sandbox.magento.state import SandboxState

CUSTOMER_RESOURCE = "Magento_Customer::customer"
GROUP_RESOURCE = "Magento_Customer::group"

# Joined columns of the default billing address that customers/search can filter on.
_BILLING_COLUMNS = {
    "billing_postcode": "postcode",
    "billing_city": "city",
    "billing_telephone": "telephone",
    "billing_country_id": "country_id",
    "billing_company": "company",
    "billing_firstname": "firstname",
    "billing_lastname": "lastname",
    "billing_vat_id": "vat_id",
    "billing_street": "street",
}


class CustomerCollection:
    """The dataset's customers as the search engine sees them."""

    name = "customers"
    id_fields = frozenset({"id", "entity_id"})
    cheap_fields = SUMMARY_FIELDS

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @property
    def version(self) -> int:
        return self.dataset.version

    def candidate_ids(self, low: int, high: int | None) -> Iterable[int]:
        return self.dataset.ids(low, high)

    def count(self, low: int, high: int | None) -> int:
        return self.dataset.count(low, high)

    def cheap(self, entity_id: int) -> Mapping[str, Any]:
        return self.dataset.summary(entity_id)

    def full(self, entity_id: int) -> Mapping[str, Any]:
        return self.dataset.record(entity_id)

    def value(self, record: Mapping[str, Any], field: str) -> Any:
        if field in record:
            return record[field]
        if field == "name":
            parts = (record.get(k) for k in ("firstname", "middlename", "lastname"))
            return " ".join(p for p in parts if p)
        for attribute in record.get("custom_attributes", ()):
            if attribute["attribute_code"] == field:
                return attribute["value"]
        if field in _BILLING_COLUMNS or field == "billing_region":
            addresses = record.get("addresses") or ()
            billing = next((a for a in addresses if a.get("default_billing")), None)
            if billing is None:
                return None
            if field == "billing_region":
                return billing["region"]["region"]
            return billing.get(_BILLING_COLUMNS[field])
        return None


def _group(group: CustomerGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "code": group.code,
        "tax_class_id": group.tax_class_id,
        "tax_class_name": group.tax_class_name,
    }


class GroupCollection:
    """The layout's customer groups; group 0 (NOT LOGGED IN) is listed too, as Magento does."""

    name = "customer_groups"
    version = 0
    id_fields = frozenset({"id"})
    cheap_fields = frozenset({"code", "tax_class_id", "tax_class_name"})

    def __init__(self, layout: ShopLayout) -> None:
        self._groups = {group.id: group for group in layout.customer_groups}

    def candidate_ids(self, low: int, high: int | None) -> list[int]:
        return [i for i in sorted(self._groups) if i >= low and (high is None or i <= high)]

    def count(self, low: int, high: int | None) -> int:
        return len(self.candidate_ids(low, high))

    def cheap(self, entity_id: int) -> Mapping[str, Any]:
        return _group(self._groups[entity_id])

    def full(self, entity_id: int) -> Mapping[str, Any]:
        return _group(self._groups[entity_id])

    def value(self, record: Mapping[str, Any], field: str) -> Any:
        return record.get(field)

    def render(self, entity_id: int) -> dict[str, Any]:
        return _group(self._groups[entity_id])


@protected(CUSTOMER_RESOURCE)
async def search_customers(request: Request, state: SandboxState) -> Any:
    dataset = state.dataset
    return search_response(request, state, CustomerCollection(dataset), dataset.record)


@protected(CUSTOMER_RESOURCE)
async def get_customer(request: Request, state: SandboxState) -> Any:
    customer_id = path_id(request, "customer_id", "customerId")
    customer = state.dataset.customer(customer_id)
    if customer is None:
        raise no_such_entity("customerId", customer_id)
    return customer


@protected(GROUP_RESOURCE)
async def search_groups(request: Request, state: SandboxState) -> Any:
    groups = GroupCollection(state.layout)
    return search_response(request, state, groups, groups.render)


@protected(GROUP_RESOURCE)
async def default_group(request: Request, state: SandboxState) -> Any:
    group = state.layout.customer_group(1) or state.layout.customer_groups[0]
    return _group(group)


@protected(GROUP_RESOURCE)
async def get_group(request: Request, state: SandboxState) -> Any:
    group_id = path_id(request, "group_id", "id")
    group = state.layout.customer_group(group_id)
    if group is None:
        raise no_such_entity("id", group_id)
    return _group(group)


@protected(CUSTOMER_RESOURCE)
async def gender_metadata(request: Request, state: SandboxState) -> Any:
    options = [{"label": " ", "value": ""}]
    options += [{"label": label, "value": str(value)} for value, label in GENDER_LABELS.items()]
    return {
        "frontend_input": "select",
        "input_filter": "",
        "store_label": "Gender",
        "validation_rules": [],
        "multiline_count": 0,
        "visible": True,
        "required": False,
        "data_model": "",
        "options": options,
        "frontend_class": "",
        "user_defined": False,
        "sort_order": 110,
        "frontend_label": "Gender",
        "note": "",
        "system": False,
        "backend_type": "int",
        "is_used_in_grid": True,
        "is_visible_in_grid": False,
        "is_filterable_in_grid": True,
        "is_searchable_in_grid": False,
        "attribute_code": "gender",
    }


ROUTES = [
    Route("/customers/search", search_customers, methods=["GET"]),
    Route("/customers/{customer_id}", get_customer, methods=["GET"]),
    Route("/customerGroups/search", search_groups, methods=["GET"]),
    Route("/customerGroups/default", default_group, methods=["GET"]),
    Route("/customerGroups/{group_id}", get_group, methods=["GET"]),
    Route("/attributeMetadata/customer/attribute/gender", gender_metadata, methods=["GET"]),
]
