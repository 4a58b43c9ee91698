"""test-connection against the sandboxes: all good, a filter that refuses text, strangers."""

from __future__ import annotations

from collections.abc import Callable

from core.db.connection import write_transaction
from core.db.models import AddressLink, CustomerLink, Profile
from core.sources import SourceCredentials, update_source
from core.tools.connection import check_connection
from tests.core.export.conftest import Shop, export


def test_everything_reachable_and_known(shop: Shop, make_profile: Callable[..., Profile]) -> None:
    profile = make_profile()
    export(profile, guests=False, entity_ids=list(range(1, 21)))
    writes = shop.stats()["calls"]["by_method"].get("PUT", 0)
    report = check_connection(profile)
    assert report.ok, report.to_json()
    assert {c.status for c in report.checks} == {"ok"}
    identity = next(c for c in report.checks if c.name.startswith("PlentyONE: identity"))
    assert "finds exactly its contact" in identity.message
    assert shop.stats()["calls"]["by_method"].get("PUT", 0) == writes


def test_unknown_contacts_in_our_namespace_are_reported(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    export(profile, guests=False, entity_ids=list(range(1, 21)))
    linked = list(CustomerLink.select().where(CustomerLink.state == "linked"))
    lost = linked[:5]
    with write_transaction():  # as if the database had been restored from an older copy
        AddressLink.delete().where(AddressLink.customer_link.in_([x.id for x in lost])).execute()
        CustomerLink.delete().where(CustomerLink.id.in_([x.id for x in lost])).execute()
    report = check_connection(profile)
    warning = next(c for c in report.checks if "unknown to this database" in c.name)
    assert warning.status == "warning"
    assert warning.message.startswith("5 contacts carry our namespace 'shop-eu'")
    assert sorted(report.unknown_contacts) == sorted(x.contact_id for x in lost)
    assert report.ok  # a warning, not a failure


def test_identity_filter_that_refuses_text_fails(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    shop.plenty_config({"modes": {"external_id_filter": "integer"}})
    report = check_connection(profile)
    check = next(c for c in report.checks if c.name.startswith("PlentyONE: identity"))
    assert check.status == "failed"
    assert "identity_field" in check.message
    assert not report.ok


def test_wrong_magento_token_fails_the_magento_checks(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    profile = make_profile()
    update_source(
        profile.source, credentials=SourceCredentials(auth_mode="bearer", values={"token": "x"})
    )
    report = check_connection(Profile.get_by_id(profile.id))
    magento = [c for c in report.checks if c.name.startswith("Magento")]
    assert magento and all(c.status == "failed" for c in magento)
    assert all(c.status == "ok" for c in report.checks if c.name == "PlentyONE: login")
