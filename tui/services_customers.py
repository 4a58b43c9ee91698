"""The façade's customers part: look one customer up, its live diff, conflicts, link, unlink.

Mixed into ``tui.services.Services`` like ``tui.services_runs``. Blocking, for thread
workers only; answers are the frozen values of ``core.services.customers``. The PlentyONE
token and budget are the deployment's (shared with the workers). Values are real: this is
the operator's own screen; the core masks them in every log line.
"""

from __future__ import annotations

from typing import Any

from core.services import customers
from core.services.customers import (
    AddressView,
    Candidates,
    ConflictView,
    CustomerLookup,
    FieldDiff,
    LastExport,
    LinkView,
    LiveDiff,
    OwnedField,
)

__all__ = [
    "AddressView",
    "Candidates",
    "ConflictView",
    "CustomerLookup",
    "CustomersFacade",
    "FieldDiff",
    "LastExport",
    "LinkView",
    "LiveDiff",
    "OwnedField",
]


class CustomersFacade:
    """One customer of a profile; ``Services`` supplies the deployment and the viewer guard."""

    deployment: Any

    def _refuse_in_viewer(self) -> None:  # pragma: no cover - Services defines it
        raise NotImplementedError

    def customer_lookup(self, profile_id: int, query: str) -> CustomerLookup:
        """The customer a Magento id or e-mail names: link, addresses, last export, fields."""
        return customers.look_up_customer(
            profile_id, query, backends=self.deployment.work_backends()
        )

    def customer_live_diff(self, profile_id: int, query: str) -> LiveDiff:
        """What the next export would send it, against PlentyONE now (reads only)."""
        return customers.live_diff(
            profile_id, query, mask=False, backends=self.deployment.work_backends()
        )

    def customer_conflicts(self, profile_id: int) -> tuple[ConflictView, ...]:
        return customers.customer_conflicts(profile_id)

    def conflict_candidates(self, profile_id: int, customer_id: int) -> Candidates:
        """The contacts matching the customer now, to choose one of (reads only)."""
        return customers.conflict_candidates(
            profile_id, customer_id, backends=self.deployment.work_backends()
        )

    def resolve_conflict(self, profile_id: int, customer_id: int, contact_id: int) -> str:
        self._refuse_in_viewer()
        return customers.resolve_customer_conflict(
            profile_id, customer_id, contact_id, backends=self.deployment.work_backends()
        )

    def link_customer(self, profile_id: int, customer_id: int, contact_id: int) -> str:
        self._refuse_in_viewer()
        return customers.link_to_contact(
            profile_id, customer_id, contact_id, backends=self.deployment.work_backends()
        )

    def unlink_customer(
        self, profile_id: int, customer_id: int, *, keep_identity: bool = False
    ) -> str:
        self._refuse_in_viewer()
        return customers.unlink(
            profile_id,
            customer_id,
            clear_identity=not keep_identity,
            backends=self.deployment.work_backends(),
        )
