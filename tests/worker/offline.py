"""A complete profile whose client and source are never called: for queue and schedule logic."""

from __future__ import annotations

from core.clients import ClientSettings, create_client
from core.db.models import Profile
from core.profiles.service import create_profile, parse_settings
from core.schedules import create_schedule
from core.sources import SourceCredentials, create_source
from tests.core.profiles.fixtures import collect, complete_settings


def offline_profile(cron: str = "*/5 * * * *", timezone: str = "UTC", name: str = "eu") -> Profile:
    client = create_client(
        name=f"erp-{name}",
        base_url="https://erp.invalid",
        username="api",
        password="secret",
        settings=ClientSettings(),
    )
    source = create_source(
        name=f"shop-{name}",
        namespace=f"shop-{name}",
        base_url="https://shop.invalid",
        credentials=SourceCredentials(auth_mode="bearer", values={"token": "t"}),
    )
    collect(client, source)
    schedule = create_schedule(name=f"every-{name}", cron=cron, timezone=timezone)
    settings = parse_settings(complete_settings(schedule))
    return create_profile(name=name, client=client, source=source, settings=settings)
