"""``plentysync demo``: the whole job against the bundled sandboxes, in a throw-away directory."""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from cryptography.fernet import Fernet

from cli._common import out
from cli.customers import print_summary
from core.clients import ClientSettings, create_client
from core.db import init_database
from core.db.models import Client, MagentoSource, Profile, Run
from core.export.collect import collect_client, collect_source
from core.export.connections import open_magento, open_plenty
from core.export.executor import InlineExecutor
from core.export.runs import RunOptions
from core.export.service import start_export
from core.operations.history import outcomes_of
from core.profiles.service import create_profile, parse_settings
from core.settings import reset_settings
from core.sources import SourceCredentials, create_source
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import serve_in_thread

DEMO_USER, DEMO_PASSWORD = "api-user", "api-password"


def demo(
    customers: Annotated[int, typer.Option(help="Customers in the sandbox shop.")] = 2000,
    orders: Annotated[int, typer.Option(help="Orders (guest and registered) in the shop.")] = 600,
    mutate_share: Annotated[
        float, typer.Option(help="Share of customers changed in step 4.")
    ] = 0.05,
    seed: Annotated[int, typer.Option()] = 7,
    write_limit: Annotated[int, typer.Option(help="PlentyONE writes per minute.")] = 12_000,
    keep: Annotated[bool, typer.Option(help="Keep the temporary data directory.")] = False,
) -> None:
    """Run the main job end to end against the bundled sandboxes (no services needed)."""
    home = use_scratch_home()
    out.print(f"[bold]plentysync demo[/] in {home} (your own data directory is not touched)")
    limits = RateLimits(
        short_read=write_limit * 2, short_write=write_limit, long_read=10**8, long_write=10**8
    )
    with (
        serve_in_thread(plenty_app(SandboxConfig(limits=limits))) as plenty,
        serve_in_thread(
            magento_app(MagentoSandboxConfig(customers=customers, seed=seed, orders=orders))
        ) as shop,
    ):
        out.print(
            f"1. sandboxes: PlentyONE {plenty.base_url}, Magento {shop.base_url} "
            f"({customers} customers, {orders} orders)"
        )
        settings = ClientSettings(
            plan=None, read_per_minute=write_limit * 2, write_per_minute=write_limit
        )
        profile, collected = set_up_demo(plenty.base_url, shop.base_url, settings)
        out.print(
            f"   collected {collected['classes']} classes, {collected['referrers']} referrers, "
            f"{collected['countries']} countries"
        )
        out.print("2. first export: every customer once")
        first = _export(profile, RunOptions())
        out.print("3. second export: nothing changed, so nothing is sent")
        second = _export(profile, RunOptions())
        count = max(1, int(customers * mutate_share))
        answer = httpx.post(f"{shop.base_url}/_sandbox/mutate", json={"count": count}, timeout=30)
        changed = {str(m["customer_id"]) for m in answer.json()["mutations"]}
        out.print(f"4. {len(changed)} customers changed in Magento; only they are sent")
        third = _export(profile, RunOptions())
        stats = httpx.get(f"{plenty.base_url}/_sandbox/stats", timeout=30).json()
    _report(first, second, third, stats, outcomes_of(third.id, changed))
    if keep:
        out.print(f"data directory kept: {home}")
    else:
        import shutil

        shutil.rmtree(home, ignore_errors=True)
    if first.status != "done" or second.api_writes or stats["duplicate_contacts_by_external_id"]:
        raise typer.Exit(1)


def use_scratch_home(prefix: str = "plentysync-demo-") -> Path:
    """Point plentysync at a new temporary data directory with its own key and SQLite file."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["PLENTYSYNC_HOME"] = str(home)
    os.environ["PLENTYSYNC_SECRET_KEY"] = Fernet.generate_key().decode()
    os.environ.pop("PLENTYSYNC_DATABASE_URL", None)
    reset_settings()
    init_database(announce=False)
    return home


def set_up_demo(
    plenty_url: str, shop_url: str, settings: ClientSettings
) -> tuple[Profile, dict[str, int]]:
    """Client, source and the demo profile on the sandboxes; also what collect-config found."""
    client: Client = create_client(
        name="demo-erp",
        base_url=plenty_url,
        username=DEMO_USER,
        password=DEMO_PASSWORD,
        settings=settings,
    )
    source: MagentoSource = create_source(
        name="demo-shop",
        namespace="demo-shop",
        base_url=shop_url,
        credentials=SourceCredentials(
            auth_mode="bearer", values={"token": DEFAULT_INTEGRATION_TOKEN}
        ),
    )
    plenty_client = open_plenty(client)
    try:
        collected = collect_client(client.id, plenty_client)
    finally:
        plenty_client.close()
    with open_magento(source) as magento:
        collect_source(source.id, magento)
    profile = create_profile(
        name="demo", client=client, source=source, settings=parse_settings(DEMO_PROFILE)
    )
    return profile, collected


DEMO_PROFILE: dict[str, Any] = {
    "schedule": {"status": False, "process_batch_size": 100},
    "store": {
        "referrer_id": 1,
        "store_mapping": [
            {"store_id": 3, "plenty_id": 12345, "locale": "de"},
            {"store_id": 4, "plenty_id": 12345, "locale": "de"},
            {"store_id": 5, "plenty_id": 12345, "locale": "fr"},
            {"store_id": 6, "plenty_id": 12345, "locale": "fr"},
            {"store_id": "*", "plenty_id": 12345, "locale": "en"},
        ],
    },
    "customer": {
        "create_address": True,
        "default_group": 1,
        "group_mapping": [
            {"magento_group_id": 2, "plenty_class_id": 2},
            {"magento_group_id": 5, "plenty_class_id": 2},
        ],
        "account_trigger": "vat_id_or_b2b_groups",
        "b2b_group_ids": [2, 5],
        "gender_mapping": [
            {"prefix": p, "gender": g}
            for p, g in (
                ("Mr.", "male"),
                ("Mrs.", "female"),
                ("Ms.", "female"),
                ("Herr", "male"),
                ("Frau", "female"),
                ("M.", "male"),
                ("Mme", "female"),
                ("Mlle", "female"),
            )
        ],
    },
}


def _export(profile: Profile, options: RunOptions) -> Run:
    run = start_export(profile, options, trigger="demo")
    started = time.monotonic()
    executor = InlineExecutor()
    executor.submit(run)
    finished = executor.finished
    assert finished is not None
    out.print("   ", end="")
    print_summary(finished)
    finished.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return finished


def _report(
    first: Run, second: Run, third: Run, stats: dict[str, Any], changed: Counter[str]
) -> None:
    exported = first.created + first.updated + first.unchanged
    rate = exported / max(first.elapsed, 1e-9)  # type: ignore[attr-defined]
    calls = (first.api_reads + first.api_writes) / max(exported, 1)
    out.print("\n[bold]summary[/]")
    out.print(
        f"  first export: {exported} customers in {first.elapsed:.1f} s "  # type: ignore[attr-defined]
        f"({rate:.0f}/s), {calls:.2f} PlentyONE calls per customer, "
        f"{first.failed} records refused with a reason, {first.skipped} skipped"
    )
    out.print(f"  re-run: {second.api_reads} reads, {second.api_writes} writes")
    words = {
        "updated": "updated",
        "unchanged": "changed only fields plentysync does not send",
        "failed": "refused with a reason",
    }
    parts = ", ".join(f"{n} {words.get(action, action)}" for action, n in changed.most_common())
    out.print(f"  after changing {changed.total()} customers: {parts}; {third.api_writes} writes")
    out.print(
        f"  PlentyONE now holds {stats['contacts']} contacts, {stats['addresses']} "
        f"addresses, {stats['accounts']} accounts; duplicates by our identity: "
        f"{stats['duplicate_contacts_by_external_id']}; contacts sharing an e-mail: "
        f"{stats['duplicate_contacts_by_email']} (customers of two websites with one address, "
        "kept apart as Magento keeps them); 429 answers: "
        f"{stats['calls']['rate_limited']}"
    )
