"""The websites, store views and customer groups an export names, as a sandbox layout.

Magento's exports carry website and store codes (and, in the main file, their ids); the
sandbox serves exactly those, so store mappings written for the rehearsal fit the real shop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.data.stores import (
    ADMIN_GROUP,
    ADMIN_STORE,
    ADMIN_WEBSITE,
    CustomerGroup,
    ShopLayout,
    StoreGroup,
    StoreView,
    Website,
)

# Magento's own groups on a fresh install; other ids are the shop's and get a neutral code.
_STOCK_GROUPS = {0: "NOT LOGGED IN", 1: "General", 2: "Wholesale", 3: "Retailer"}
_RETAIL_TAX_CLASS = (3, "Retail Customer")
# The export does not tell a store view's locale; storeConfigs answers with this one.
UNKNOWN_LOCALE = "en_US"


@dataclass
class LayoutBuilder:
    """Collects websites, store views and groups while rows are read; ids stay consistent."""

    websites: dict[str, int] = field(default_factory=lambda: {ADMIN_WEBSITE.code: 0})
    views: dict[str, tuple[int, int]] = field(default_factory=lambda: {ADMIN_STORE.code: (0, 0)})
    view_names: dict[str, str] = field(default_factory=dict)
    groups: set[int] = field(default_factory=lambda: {0, 1})

    def website(self, code: str, given_id: int | None) -> int:
        """The id of website ``code``; a ValueError when ``given_id`` contradicts earlier rows."""
        known = self.websites.get(code)
        if known is not None:
            if given_id is not None and given_id != known:
                raise ValueError(f"website {code!r} has id {known} in earlier rows")
            return known
        if given_id is not None and given_id in self.websites.values():
            raise ValueError(f"website id {given_id} belongs to another code in earlier rows")
        new_id = given_id if given_id is not None else max(self.websites.values()) + 1
        self.websites[code] = new_id
        return new_id

    def store(self, code: str, given_id: int | None, website_id: int, name: str | None) -> int:
        """The id of store view ``code`` of a website; ValueError on a contradiction."""
        known = self.views.get(code)
        if known is not None:
            view_id, view_website = known
            if given_id is not None and given_id != view_id:
                raise ValueError(f"store view {code!r} has id {view_id} in earlier rows")
            if view_id and view_website != website_id:
                raise ValueError(f"store view {code!r} belongs to another website in earlier rows")
            return view_id
        taken = {view_id for view_id, _ in self.views.values()}
        if given_id is not None and given_id in taken:
            raise ValueError(f"store id {given_id} belongs to another store view in earlier rows")
        new_id = given_id if given_id is not None else max(taken) + 1
        self.views[code] = (new_id, website_id)
        if name:
            self.view_names[code] = name
        return new_id

    def layout(self) -> ShopLayout:
        websites = [ADMIN_WEBSITE]
        groups = [ADMIN_GROUP]
        views = [ADMIN_STORE]
        for code, website_id in sorted(self.websites.items(), key=lambda item: item[1]):
            if website_id == 0:
                continue
            own = sorted(v for v, w in self.views.values() if w == website_id and v)
            websites.append(Website(website_id, code, code, website_id))
            groups.append(
                StoreGroup(website_id, website_id, 2, own[0] if own else 0, code, f"{code}_store")
            )
        for code, (view_id, website_id) in sorted(self.views.items(), key=lambda item: item[1]):
            if view_id == 0:
                continue
            name = self.view_names.get(code, code)
            views.append(StoreView(view_id, code, name, website_id, website_id, UNKNOWN_LOCALE, ()))
        customer_groups = tuple(
            CustomerGroup(
                group_id, _STOCK_GROUPS.get(group_id, f"Group {group_id}"), *_RETAIL_TAX_CLASS
            )
            for group_id in sorted(self.groups)
        )
        return ShopLayout(tuple(websites), tuple(groups), tuple(views), customer_groups)
