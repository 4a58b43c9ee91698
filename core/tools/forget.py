"""``customer forget``: erase what plentysync holds about one customer (a GDPR erasure request).

Removed: the customer's links and address links (every client fed by the profile's source),
its run items and queue items (every profile of that source), and the request-log lines that
mention it by our identity or by its contact id. The PlentyONE contact itself is not touched:
erasing it there is a decision for the ERP's owners.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from core.db.connection import write_transaction
from core.db.models import AddressLink, CustomerLink, Profile, QueueItem, Run, RunItem
from core.mapping import customer_key, identity
from core.tools.request_log import log_files, rewrite_log

__all__ = ["ForgetResult", "forget_customer", "mentions"]


@dataclass
class ForgetResult:
    customer_id: int
    contact_ids: list[int] = field(default_factory=list)
    links: int = 0
    address_links: int = 0
    run_items: int = 0
    queue_items: int = 0
    log_lines: int = 0
    log_files: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        contacts = ", ".join(map(str, self.contact_ids)) or "none"
        return (
            f"customer {self.customer_id}: removed {self.links} links (contacts {contacts}), "
            f"{self.address_links} address links, {self.run_items} run items, "
            f"{self.queue_items} queue items and {self.log_lines} request-log lines in "
            f"{len(self.log_files)} files. The PlentyONE contact itself was not changed."
        )


def mentions(identity_key: str, contact_ids: list[int]) -> re.Pattern[str]:
    """A pattern for log lines naming the entity: its identity, or a contact id in a URL or body."""
    parts = [re.escape(identity_key) + r"(?![0-9A-Za-z])"]
    for contact_id in contact_ids:
        parts.append(rf"/contacts/{contact_id}(?![0-9])")
        parts.append(rf'"contactId":\s*"?{contact_id}(?![0-9])')
    return re.compile("|".join(parts))


def forget_customer(profile: Profile, customer_id: int) -> ForgetResult:
    """Remove every trace of ``customer_id`` of the profile's source; says what went."""
    key = customer_key(customer_id)
    namespace = profile.source.namespace
    result = ForgetResult(customer_id)
    profiles = [p.id for p in Profile.select(Profile.id).where(Profile.source == profile.source)]
    with write_transaction():
        links = list(
            CustomerLink.select().where(
                (CustomerLink.namespace == namespace)
                & (CustomerLink.entity_type == "customer")
                & (CustomerLink.entity_key == key)
            )
        )
        result.contact_ids = sorted({link.contact_id for link in links if link.contact_id})
        ids = [link.id for link in links]
        if ids:
            result.address_links = (
                AddressLink.delete().where(AddressLink.customer_link.in_(ids)).execute()
            )
            result.links = CustomerLink.delete().where(CustomerLink.id.in_(ids)).execute()
        runs = Run.select(Run.id).where(Run.profile.in_(profiles))
        result.run_items = (
            RunItem.delete()
            .where(
                RunItem.run.in_(runs)
                & (RunItem.entity_type == "customer")
                & (RunItem.entity_key == key)
            )
            .execute()
        )
        result.queue_items = (
            QueueItem.delete()
            .where(
                QueueItem.profile.in_(profiles)
                & (QueueItem.entity_type == "customer")
                & (QueueItem.entity_key == key)
            )
            .execute()
        )
    pattern = mentions(identity(namespace, "customer", key), result.contact_ids)
    for path in log_files():
        removed = rewrite_log(path, lambda line: pattern.search(line) is None)
        if removed:
            result.log_lines += removed
            result.log_files.append(path.name)
    return result
