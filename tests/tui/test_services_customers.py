"""The façade's customers part over a real SQLite database and the sandboxes."""

from __future__ import annotations

import pytest

from core.db.models import CustomerLink
from core.errors import ConfigError
from tests.tui.conftest import Demo
from tests.tui.test_customers import export_demo
from tui.services import Services


def opened(**kwargs: bool) -> Services:
    services = Services(**kwargs)
    services.open()
    return services


def test_a_lookup_its_live_diff_and_a_viewer_that_cannot_unlink(demo: Demo) -> None:
    export_demo(demo, [1, 2])
    services = opened()
    found = services.customer_lookup(demo.profile_id, "2")
    assert found.link is not None and found.link.state == "linked"
    assert found.last_export is not None and found.last_export.action == "created"
    diff = services.customer_live_diff(demo.profile_id, "2")
    assert (diff.action, diff.found_by, diff.diffs) == ("unchanged", "link", ())
    assert services.customer_conflicts(demo.profile_id) == ()

    viewer = opened(viewer=True)
    assert viewer.customer_lookup(demo.profile_id, "2").link == found.link  # reading is fine
    for act in (
        lambda: viewer.unlink_customer(demo.profile_id, 2),
        lambda: viewer.link_customer(demo.profile_id, 2, 1),
        lambda: viewer.resolve_conflict(demo.profile_id, 2, 1),
    ):
        with pytest.raises(ConfigError, match="viewer mode"):
            act()
    assert CustomerLink.get(CustomerLink.entity_key == "2").contact_id == found.link.contact_id

    assert "removed" in services.unlink_customer(demo.profile_id, 2, keep_identity=True)
    assert CustomerLink.get_or_none(CustomerLink.entity_key == "2") is None
    # Our identity stayed on the contact: the next lookup finds it again, live.
    again = services.customer_live_diff(demo.profile_id, "2")
    assert again.found_by == "identity" and again.contact_id == found.link.contact_id
