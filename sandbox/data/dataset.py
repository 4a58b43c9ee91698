"""A seeded shop: generated customers and orders plus the few changes made since."""

from __future__ import annotations

import copy
import enum
import random
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox.data.addresses import build_address
from sandbox.data.crafted import CRAFTED, SHARED_EMAIL, crafted_fields
from sandbox.data.customers import (
    ADDRESS_IDS_PER_CUSTOMER,
    TIMESTAMP_FORMAT,
    build_customer,
    customer_summary,
    shop_view,
    stamp,
)
from sandbox.data.dirty import DirtyKind, dirty_kinds
from sandbox.data.guests import build_order, order_summary
from sandbox.data.imported import ImportedShop
from sandbox.data.people import faker_for
from sandbox.data.seeding import mix
from sandbox.data.stores import ADDRESS_LOCALES, CUSTOMER_GROUPS

_CACHE_SIZE = 4096


@dataclass(frozen=True)
class DatasetConfig:
    """What to generate: ``customers`` ids 1..N, ``orders`` ids 1..M, the dirty share."""

    customers: int = 1000
    seed: int = 1
    dirty_share: float = 0.05
    orders: int = 500


class MutationKind(enum.StrEnum):
    """A change a shop customer makes to their account."""

    ADDRESS = "address"  # adds a new address
    NAME = "name"  # changes the last name
    GROUP = "group"  # moves to another customer group


@dataclass(frozen=True)
class Mutation:
    customer_id: int
    kind: MutationKind
    updated_at: str


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Dataset:
    """Customers and orders on demand; only mutated customers and deletions are stored.

    Thread-safe: the emulator serves from its own thread while tests read and mutate.
    With ``imported``, its customers replace the generated ones and there are no orders.
    """

    def __init__(
        self,
        config: DatasetConfig,
        clock: Callable[[], datetime] = _utc_now,
        imported: ImportedShop | None = None,
    ) -> None:
        if imported is not None:
            config = DatasetConfig(customers=len(imported.customers), dirty_share=0.0, orders=0)
        self._imported = imported.customers if imported is not None else None
        self._groups = imported.layout.customer_groups if imported is not None else CUSTOMER_GROUPS
        self.config = config
        self._clock = clock
        self._lock = threading.RLock()
        self._changed: dict[int, dict[str, Any]] = {}
        self._changed_orders: dict[int, dict[str, Any]] = {}
        self._deleted: set[int] = set()
        self._rounds = 0
        self._added_addresses = 0
        self.version = 0  # bumped on every change, so cached search results expire
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()

    # -- customers ---------------------------------------------------------------------

    @property
    def seed(self) -> int:
        return self.config.seed

    def exists(self, customer_id: int) -> bool:
        """True for ids 1..N that were not deleted."""
        return 1 <= customer_id <= self.config.customers and customer_id not in self._deleted

    def ids(self, first: int = 1, last: int | None = None) -> Iterator[int]:
        """Live customer ids from ``first`` to ``last`` (inclusive), ascending."""
        stop = self.config.customers if last is None else min(last, self.config.customers)
        span = range(max(first, 1), stop + 1)
        if not self._deleted:
            return iter(span)  # the common case, and cheap to skip through with islice
        deleted = set(self._deleted)
        return (customer_id for customer_id in span if customer_id not in deleted)

    def count(self, first: int = 1, last: int | None = None) -> int:
        """How many live customers have ids from ``first`` to ``last`` (inclusive)."""
        low = max(first, 1)
        high = self.config.customers if last is None else min(last, self.config.customers)
        if high < low:
            return 0
        return high - low + 1 - sum(1 for i in self._deleted if low <= i <= high)

    def summary(self, customer_id: int) -> dict[str, Any]:
        """The cheap fields of a live customer (mutations included); do not modify."""
        changed = self._changed.get(customer_id)
        if changed is not None:
            return changed
        if self._imported is not None:
            return self._imported[customer_id - 1]
        return customer_summary(self.seed, customer_id, self.config.dirty_share)

    def record(self, customer_id: int) -> dict[str, Any]:
        """The whole customer, shared and cached; do not modify (``customer`` copies)."""
        changed = self._changed.get(customer_id)
        if changed is not None:
            return changed
        if self._imported is not None:
            return self._imported[customer_id - 1]
        with self._lock:
            cached = self._cache.get(customer_id)
            if cached is not None:
                self._cache.move_to_end(customer_id)
                return cached
        built = build_customer(self.seed, customer_id, self.config.dirty_share)
        with self._lock:
            self._cache[customer_id] = built
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return built

    def customer(self, customer_id: int) -> dict[str, Any] | None:
        """A copy of customer ``customer_id`` as Magento returns it, or None if absent."""
        if not self.exists(customer_id):
            return None
        return copy.deepcopy(self.record(customer_id))

    def dirty(self, customer_id: int) -> frozenset[DirtyKind]:
        """How the generated customer is broken (empty when clean or imported)."""
        if self._imported is not None:
            return frozenset()
        return dirty_kinds(self.seed, customer_id, self.config.dirty_share)

    def delete(self, customer_id: int) -> bool:
        """Delete a customer, leaving a gap in the ids; False if it did not exist."""
        with self._lock:
            if not self.exists(customer_id):
                return False
            self._deleted.add(customer_id)
            self._changed.pop(customer_id, None)
            self.version += 1
            return True

    def reset(self) -> None:
        """Forget every mutation and deletion."""
        with self._lock:
            self._changed.clear()
            self._changed_orders.clear()
            self._deleted.clear()
            self._rounds = 0
            self.version += 1

    def overwrite(self, customer_id: int, fields: dict[str, Any]) -> dict[str, Any] | None:
        """Set raw ``fields`` on a live customer, as a broken import might have left them.

        Values are stored as given (``None`` included, so ``{"addresses": None}`` serves
        ``"addresses": null``); the id stays and ``updated_at`` moves on. None when absent.
        """
        with self._lock:
            if not self.exists(customer_id):
                return None
            record = copy.deepcopy(self.record(customer_id))
            record.update({k: v for k, v in fields.items() if k not in ("id", "updated_at")})
            record["updated_at"] = self._next_stamp([customer_id])
            self._changed[customer_id] = record
            self.version += 1
            return copy.deepcopy(record)

    def craft(self, kinds: list[str], first: int = 1) -> dict[int, str]:
        """Break one clean customer per kind, from id ``first`` on; returns id -> kind.

        A customer is clean when it is not dirty and not changed yet; the kinds are those of
        ``sandbox.data.crafted.CRAFTED``.
        """
        unknown = sorted(set(kinds) - set(CRAFTED))
        if unknown:
            raise ValueError(f"unknown crafted kinds: {', '.join(unknown)}")
        done: dict[int, str] = {}
        with self._lock:
            candidates = (
                i for i in self.ids(first) if not self.dirty(i) and i not in self._changed
            )
            for kind in kinds:
                # A shared e-mail needs a partner that stays clean: the candidate before it.
                partner = next(candidates, None) if kind == SHARED_EMAIL else None
                customer_id = next(candidates, None)
                if customer_id is None:
                    break
                lender = self.record(partner) if partner is not None else {}
                self.overwrite(customer_id, crafted_fields(kind, lender))
                done[customer_id] = kind
        return done

    # -- mutations ---------------------------------------------------------------------

    def mutate(
        self,
        count: int = 0,
        ids: list[int] | None = None,
        kinds: list[MutationKind] | None = None,
    ) -> list[Mutation]:
        """Change ``count`` customers (or exactly ``ids``); all get one new ``updated_at``.

        Without ``ids`` the customers are drawn deterministically from the seed and the
        number of earlier mutation rounds; without ``kinds`` each gets a drawn kind.
        """
        with self._lock:
            self._rounds += 1
            rng = random.Random(mix(self.seed, self._rounds, 0x3A7E))
            targets = [i for i in ids if self.exists(i)] if ids else self._draw(rng, count)
            moment = self._next_stamp(targets)
            done = []
            for customer_id in targets:
                kind = rng.choice(kinds or list(MutationKind))
                record = copy.deepcopy(self.record(customer_id))
                self._apply(record, kind, rng)
                record["updated_at"] = moment
                self._changed[customer_id] = record
                done.append(Mutation(customer_id, kind, moment))
            self.version += 1
            return done

    def _draw(self, rng: random.Random, count: int) -> list[int]:
        live = self.config.customers - len(self._deleted)
        wanted = min(count, live)
        chosen: set[int] = set()
        while len(chosen) < wanted:
            candidate = rng.randint(1, self.config.customers)
            if self.exists(candidate):
                chosen.add(candidate)
        return sorted(chosen)

    def _next_stamp(self, targets: list[int]) -> str:
        moment = self._clock().replace(microsecond=0)
        latest = max((self.summary(i)["updated_at"] for i in targets), default=None)
        if latest is not None:
            floor = datetime.strptime(latest, TIMESTAMP_FORMAT) + timedelta(seconds=1)
            moment = max(moment, floor)
        return stamp(moment)

    def _apply(self, record: dict[str, Any], kind: MutationKind, rng: random.Random) -> None:
        customer_id = record["id"]
        if kind is MutationKind.GROUP:
            choices = [g.id for g in self._groups if g.id not in (0, record["group_id"])]
            if choices:  # an imported shop may know no other group
                record["group_id"] = rng.choice(choices)
        elif kind is MutationKind.NAME:
            # An imported shop's store views are its own: their locale is not known here.
            locale = shop_view(record).locale if self._imported is None else "en_US"
            fake = faker_for(locale, rng.getrandbits(48))
            new_name = str(fake.last_name())
            while new_name == record["lastname"]:
                new_name = str(fake.last_name())
            record["lastname"] = new_name
        else:
            country_id = next(
                (
                    a["country_id"]
                    for a in record["addresses"]
                    if a["country_id"] in ADDRESS_LOCALES
                ),
                "DE",
            )
            fake = faker_for(ADDRESS_LOCALES[country_id], rng.getrandbits(48))
            # New address ids come after every generated one (4 slots per customer).
            self._added_addresses += 1
            record["addresses"].append(
                build_address(
                    fake,
                    rng,
                    address_id=self.config.customers * ADDRESS_IDS_PER_CUSTOMER
                    + self._added_addresses,
                    customer_id=customer_id,
                    country_id=country_id,
                    firstname=record["firstname"],
                    lastname=record["lastname"],
                )
            )

    # -- orders ------------------------------------------------------------------------

    def order_exists(self, number: int) -> bool:
        return 1 <= number <= self.config.orders

    def order_summary(self, number: int) -> dict[str, Any]:
        """The cheap fields of order ``number``."""
        changed = self._changed_orders.get(number)
        if changed is not None:
            return changed
        return order_summary(self.seed, number, self.config.customers)

    def order(self, number: int) -> dict[str, Any] | None:
        """Order ``number`` as Magento lists it, or None beyond the generated orders."""
        if not self.order_exists(number):
            return None
        changed = self._changed_orders.get(number)
        if changed is not None:
            return copy.deepcopy(changed)
        return build_order(self.seed, number, self.config.customers, self.config.dirty_share)

    def overwrite_order(self, number: int, fields: dict[str, Any]) -> dict[str, Any] | None:
        """Set raw ``fields`` on order ``number`` (see ``overwrite``); None beyond the orders."""
        with self._lock:
            order = self.order(number)
            if order is None:
                return None
            order.update({k: v for k, v in fields.items() if k not in ("entity_id", "updated_at")})
            order["updated_at"] = stamp(self._clock().replace(microsecond=0))
            self._changed_orders[number] = order
            self.version += 1
            return copy.deepcopy(order)
