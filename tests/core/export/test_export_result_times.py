"""Each customer's result keeps how long it took, beside its reason, over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from core.db.models import Profile, RunItem
from sandbox.data import DirtyKind
from tests.core.export.conftest import CUSTOMERS, Shop, export


def test_every_kept_result_has_its_time_and_failures_their_reason(
    shop: Shop, make_profile: Callable[..., Profile]
) -> None:
    markup = [
        i for i in range(1, CUSTOMERS + 1) if DirtyKind.MARKUP_IN_NAME in shop.dataset.dirty(i)
    ]
    clean = [i for i in range(1, CUSTOMERS + 1) if not shop.dataset.dirty(i)]
    assert markup and len(clean) >= 4
    run = export(make_profile(), entity_ids=[*clean[:4], markup[0]], guests=False)
    items = list(RunItem.select().where(RunItem.run == run.id))
    assert len(items) == 5 and run.created == 4 and run.failed == 1
    parsed = {item.entity_key: (item.action, item.message, item.seconds) for item in items}
    assert all(seconds is not None and 0 <= seconds < 30 for _, _, seconds in parsed.values())
    action, reason, _ = parsed[str(markup[0])]
    assert action == "failed" and "HTML markup" in reason
