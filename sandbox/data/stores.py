"""The emulated shop's structure: websites, stores, store views, customer groups, genders."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Website:
    id: int
    code: str
    name: str
    default_group_id: int


@dataclass(frozen=True)
class StoreGroup:
    id: int
    website_id: int
    root_category_id: int
    default_store_id: int
    name: str
    code: str


@dataclass(frozen=True)
class StoreView:
    """A store view; ``locale`` drives the names and addresses of its customers."""

    id: int
    code: str
    name: str
    website_id: int
    store_group_id: int
    locale: str
    countries: tuple[str, ...]
    is_active: int = 1


@dataclass(frozen=True)
class CustomerGroup:
    id: int
    code: str
    tax_class_id: int
    tax_class_name: str


# Id 0 entries are Magento's admin scope: customers created in the admin or imported carry
# store_id 0 and "Admin" as created_in.
ADMIN_WEBSITE = Website(0, "admin", "Admin", 0)
ADMIN_GROUP = StoreGroup(0, 0, 0, 0, "Default", "default")
ADMIN_STORE = StoreView(0, "admin", "Admin", 0, 0, "en_US", ("US",))

WEBSITES: tuple[Website, ...] = (
    ADMIN_WEBSITE,
    Website(1, "base", "Main Website", 1),
    Website(2, "dach", "DACH Website", 2),
    Website(3, "france", "France Website", 3),
)

STORE_GROUPS: tuple[StoreGroup, ...] = (
    ADMIN_GROUP,
    StoreGroup(1, 1, 2, 1, "Main Website Store", "main_website_store"),
    StoreGroup(2, 2, 2, 3, "DACH Store", "dach_store"),
    StoreGroup(3, 3, 2, 5, "Boutique France", "boutique_france"),
)

STORE_VIEWS: tuple[StoreView, ...] = (
    ADMIN_STORE,
    StoreView(1, "default", "Default Store View", 1, 1, "en_US", ("US", "US", "US", "CA")),
    StoreView(2, "en_au", "Australia English", 1, 1, "en_AU", ("AU", "AU", "GB")),
    StoreView(3, "de", "Deutsch", 2, 2, "de_DE", ("DE", "DE", "DE", "AT")),
    StoreView(4, "de_ch", "Schweiz (Deutsch)", 2, 2, "de_CH", ("CH", "CH", "DE")),
    StoreView(5, "fr", "Français", 3, 3, "fr_FR", ("FR", "FR", "FR", "BE")),
    StoreView(6, "fr_ca", "Canada Français", 3, 3, "fr_CA", ("CA",)),
)

FRONTEND_STORE_VIEWS: tuple[StoreView, ...] = STORE_VIEWS[1:]

CUSTOMER_GROUPS: tuple[CustomerGroup, ...] = (
    CustomerGroup(0, "NOT LOGGED IN", 3, "Retail Customer"),
    CustomerGroup(1, "General", 3, "Retail Customer"),
    CustomerGroup(2, "Wholesale", 3, "Retail Customer"),
    CustomerGroup(3, "Retailer", 3, "Retail Customer"),
    CustomerGroup(4, "VIP", 3, "Retail Customer"),
    CustomerGroup(5, "B2B Reseller EU", 5, "Reseller (reverse charge)"),
)

# Groups whose members are usually companies.
BUSINESS_GROUP_IDS = frozenset({2, 3, 5})

# Option ids of the ``gender`` attribute on a clean install; 0 means "not set".
GENDER_LABELS: dict[int, str] = {1: "Male", 2: "Female", 3: "Not Specified"}

# (region_id, region_code, region name) as in Magento's directory for a few regions per country.
REGIONS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "US": (
        (12, "CA", "California"),
        (18, "FL", "Florida"),
        (33, "MI", "Michigan"),
        (43, "NY", "New York"),
        (57, "TX", "Texas"),
        (62, "WA", "Washington"),
    ),
    "CA": (
        (66, "AB", "Alberta"),
        (67, "BC", "British Columbia"),
        (74, "ON", "Ontario"),
        (76, "QC", "Quebec"),
    ),
    "AU": (
        (569, "ACT", "Australian Capital Territory"),
        (570, "NSW", "New South Wales"),
        (571, "VIC", "Victoria"),
        (572, "QLD", "Queensland"),
        (575, "WA", "Western Australia"),
    ),
}

# The Faker locale that writes addresses for each country we generate.
ADDRESS_LOCALES: dict[str, str] = {
    "US": "en_US",
    "CA": "en_CA",
    "AU": "en_AU",
    "GB": "en_GB",
    "DE": "de_DE",
    "AT": "de_AT",
    "CH": "de_CH",
    "FR": "fr_FR",
    "BE": "nl_BE",  # Faker's fr_BE has no Belgian streets; nl_BE has
}


def store_view(store_id: int) -> StoreView:
    """The store view with this id (0 is the admin scope)."""
    return STORE_VIEWS[store_id]


def store_view_by_code(code: str) -> StoreView | None:
    """The store view with this code, or None."""
    for view in STORE_VIEWS:
        if view.code == code:
            return view
    return None


def website_locale(website_id: int) -> str:
    """The locale of a website's default store view (for admin-created customers)."""
    group = STORE_GROUPS[WEBSITES[website_id].default_group_id]
    return STORE_VIEWS[group.default_store_id].locale


@dataclass(frozen=True)
class ShopLayout:
    """A shop's websites, store groups, store views and customer groups, looked up by id."""

    websites: tuple[Website, ...]
    store_groups: tuple[StoreGroup, ...]
    store_views: tuple[StoreView, ...]
    customer_groups: tuple[CustomerGroup, ...]

    def view_by_code(self, code: str) -> StoreView | None:
        """The store view with this code, or None."""
        return next((view for view in self.store_views if view.code == code), None)

    def customer_group(self, group_id: int) -> CustomerGroup | None:
        """The customer group with this id, or None."""
        return next((group for group in self.customer_groups if group.id == group_id), None)

    @property
    def frontend_views(self) -> tuple[StoreView, ...]:
        """Every store view except the admin scope."""
        return tuple(view for view in self.store_views if view.id != 0)


# The generated shop's layout; an imported rehearsal brings its own.
DEMO_LAYOUT = ShopLayout(WEBSITES, STORE_GROUPS, STORE_VIEWS, CUSTOMER_GROUPS)
