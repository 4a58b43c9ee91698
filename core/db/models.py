"""plentysync's tables. The durable truth of every run, link and queue item lives here."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import peewee as pw

from core.db.connection import database


def utcnow() -> dt.datetime:
    """Now, in UTC, without tzinfo (how every timestamp is stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class JSONText(pw.TextField):
    """JSON stored as text, so SQLite and PostgreSQL hold the same bytes."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(pw.Model):
    id = pw.AutoField()

    class Meta:
        database = database
        legacy_table_names = False


class Client(BaseModel):
    """A PlentyONE system and the user plentysync logs in as."""

    name = pw.CharField(max_length=100, unique=True)
    base_url = pw.CharField(max_length=255)
    username = pw.CharField(max_length=255)
    password = pw.TextField(default="")  # encrypted (core.secrets)
    settings = JSONText(default=dict)  # core.clients.ClientSettings
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)


class MagentoSource(BaseModel):
    """A Magento store read through its REST API; ``namespace`` prefixes every identity we write."""

    name = pw.CharField(max_length=100, unique=True)
    namespace = pw.CharField(max_length=40, unique=True)
    base_url = pw.CharField(max_length=255)
    auth_mode = pw.CharField(max_length=20)
    username = pw.CharField(max_length=255, default="")
    credentials = pw.TextField(default="")  # encrypted JSON of tokens, keys, password
    settings = JSONText(default=dict)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)


class Schedule(BaseModel):
    """A cron expression in an explicit time zone."""

    name = pw.CharField(max_length=100, unique=True)
    cron = pw.CharField(max_length=100)
    timezone = pw.CharField(max_length=64, default="UTC")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)


class Profile(BaseModel):
    """A customer export profile: which source goes to which client, and how."""

    name = pw.CharField(max_length=100, unique=True)
    client = pw.ForeignKeyField(Client, backref="profiles", on_delete="RESTRICT")
    source = pw.ForeignKeyField(MagentoSource, backref="profiles", on_delete="RESTRICT")
    settings = JSONText(default=dict)  # core.profiles.ProfileSettings
    client_id: int
    source_id: int
    paused = pw.BooleanField(default=False)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)


class ScheduleFiring(BaseModel):
    """One due time of a profile's schedule; unique, so a firing happens once."""

    schedule = pw.ForeignKeyField(Schedule, on_delete="CASCADE")
    profile = pw.ForeignKeyField(Profile, on_delete="CASCADE")
    kind = pw.CharField(max_length=20, default="watch")  # watch | reconcile
    scheduled_for = pw.DateTimeField()
    fired_at = pw.DateTimeField(default=utcnow)
    run_id = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("schedule", "profile", "kind", "scheduled_for"), True),)


class ConfigData(BaseModel):
    """Reference data collected from a client (PlentyONE) or a source (Magento)."""

    owner_kind = pw.CharField(max_length=10)  # client | source
    owner_id = pw.IntegerField()
    kind = pw.CharField(max_length=40)
    data = JSONText()
    collected_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("owner_kind", "owner_id", "kind"), True),)


class CustomerLink(BaseModel):
    """Which PlentyONE contact is ours for one Magento customer or guest.

    The row in state ``creating`` is the claim taken before a create, so a retry or a second
    worker looks the contact up instead of creating it again.
    """

    client = pw.ForeignKeyField(Client, on_delete="CASCADE")
    namespace = pw.CharField(max_length=40)
    entity_type = pw.CharField(max_length=10)  # customer | guest
    entity_key = pw.CharField(max_length=255)
    contact_id = pw.IntegerField(null=True)
    account_id = pw.IntegerField(null=True)
    state = pw.CharField(max_length=10, default="creating")  # creating | linked
    claim_owner = pw.CharField(max_length=100, default="")
    claimed_at = pw.DateTimeField(null=True)
    sent = JSONText(default=dict)  # part -> field -> hash of the value we last sent
    last_exported_at = pw.DateTimeField(null=True)  # never written: "last written" is updated_at
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("client", "namespace", "entity_type", "entity_key"), True),
            (("client", "contact_id"), False),
        )


class AddressLink(BaseModel):
    """A Magento address attached to our contact as a PlentyONE address of one relation type."""

    customer_link = pw.ForeignKeyField(CustomerLink, backref="addresses", on_delete="CASCADE")
    address_key = pw.CharField(max_length=100)
    type_id = pw.SmallIntegerField()
    address_id = pw.IntegerField()
    is_primary = pw.BooleanField(default=False)
    payload_hash = pw.CharField(max_length=64, default="")
    updated_at = pw.DateTimeField(default=utcnow)
    # A relation that waits for the batch's relation array: None once PlentyONE confirmed
    # it; "pending" before the call, "sending" once the call went out (its outcome unknown
    # until it returns). ``relation_owner`` is the claim owner that sends it, since
    # ``relation_at``.
    relation_state = pw.CharField(max_length=10, null=True)
    relation_owner = pw.CharField(max_length=100, null=True)
    relation_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("customer_link", "address_key", "type_id"), True),
            (("relation_state",), False),
        )


class AccountLink(BaseModel):
    """A B2B company account, keyed by normalised VAT id, else company and website."""

    client = pw.ForeignKeyField(Client, on_delete="CASCADE")
    namespace = pw.CharField(max_length=40)
    account_key = pw.CharField(max_length=255)
    account_id = pw.IntegerField(null=True)
    state = pw.CharField(max_length=10, default="creating")
    claim_owner = pw.CharField(max_length=100, default="")
    claimed_at = pw.DateTimeField(null=True)
    payload_hash = pw.CharField(max_length=64, default="")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "namespace", "account_key"), True),)


class GuestKey(BaseModel):
    """A guest buyer of one website, kept up to date from the guest-order stream."""

    source = pw.ForeignKeyField(MagentoSource, on_delete="CASCADE")
    website_id = pw.IntegerField()
    email = pw.CharField(max_length=255)  # normalised
    latest_order_id = pw.IntegerField()
    order_updated_at = pw.DateTimeField(null=True)
    address_hashes = JSONText(default=list)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("source", "website_id", "email"), True),)


class QueueItem(BaseModel):
    """An entity waiting for a profile's export; an edit made during processing bumps version."""

    profile = pw.ForeignKeyField(Profile, on_delete="CASCADE")
    entity_type = pw.CharField(max_length=10)
    entity_key = pw.CharField(max_length=255)
    status = pw.CharField(max_length=12, default="pending")  # pending | processing | failed
    version = pw.IntegerField(default=1)
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(default=utcnow)
    lease_owner = pw.CharField(max_length=100, default="")
    lease_expires_at = pw.DateTimeField(null=True)
    last_error_class = pw.CharField(max_length=100, default="")
    last_error_message = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("profile", "entity_type", "entity_key"), True),
            (("profile", "status", "next_attempt_at"), False),
        )


class Run(BaseModel):
    """One export run of a profile, with its counts, API calls and progress."""

    profile = pw.ForeignKeyField(Profile, backref="runs", on_delete="CASCADE")
    profile_id: int
    trigger = pw.CharField(max_length=20)  # manual | schedule | queue | reconcile | demo
    options = JSONText(default=dict)
    status = pw.CharField(max_length=10, default="pending")
    total = pw.IntegerField(default=0)
    created = pw.IntegerField(default=0)
    updated = pw.IntegerField(default=0)
    unchanged = pw.IntegerField(default=0)
    skipped = pw.IntegerField(default=0)
    failed = pw.IntegerField(default=0)
    conflicts = pw.IntegerField(default=0)
    api_reads = pw.IntegerField(default=0)
    api_writes = pw.IntegerField(default=0)
    cursor = pw.CharField(max_length=255, default="")
    enumerated = pw.BooleanField(default=False)
    error = pw.TextField(default="")
    peak_memory_kb = pw.IntegerField(default=0)
    created_at = pw.DateTimeField(default=utcnow)
    started_at = pw.DateTimeField(null=True)
    finished_at = pw.DateTimeField(null=True)
    last_progress_at = pw.DateTimeField(null=True)
    # The process working an inline run; empty for runs the workers share.
    owner_host = pw.CharField(max_length=255, null=True)
    owner_pid = pw.IntegerField(null=True)
    heartbeat_at = pw.DateTimeField(null=True)
    # Why a guardrail paused the run (kept after a resume), and what its guard remembers
    # (``core.export.guardrails.GuardMarks``).
    pause_reason = pw.TextField(null=True)
    guard = JSONText(null=True)

    class Meta:
        indexes = (
            (("profile", "status"), False),
            (("status", "last_progress_at"), False),
        )


class RunBatch(BaseModel):
    """A slice of a run's entities; broker messages carry only its id."""

    run = pw.ForeignKeyField(Run, backref="batches", on_delete="CASCADE")
    sequence = pw.IntegerField()
    entity_keys = JSONText()
    status = pw.CharField(max_length=10, default="pending")  # pending | leased | done | failed
    attempts = pw.IntegerField(default=0)
    lease_owner = pw.CharField(max_length=100, default="")
    lease_expires_at = pw.DateTimeField(null=True)
    not_before = pw.DateTimeField(null=True)
    error = pw.TextField(default="")
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("run", "sequence"), True),
            (("status", "lease_expires_at"), False),
        )


class RunItem(BaseModel):
    """What happened to one entity in one run (ids and reasons, never e-mails); one per entity."""

    run = pw.ForeignKeyField(Run, backref="items", on_delete="CASCADE")
    entity_type = pw.CharField(max_length=10)
    entity_key = pw.CharField(max_length=255)
    action = pw.CharField(
        max_length=12
    )  # created | updated | unchanged | skipped | failed | conflict
    contact_id = pw.IntegerField(null=True)
    error_class = pw.CharField(max_length=100, default="")
    message = pw.TextField(default="")
    # False while the entity is still being worked (a write of it is committed, its result
    # may still change); a batch worked again skips the entities whose result is final.
    final = pw.BooleanField(default=True)
    # How long the entity's export took, in seconds (None: not timed, e.g. an older result).
    seconds = pw.FloatField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("run", "action"), False),
            (("entity_type", "entity_key"), False),
            (("run", "entity_type", "entity_key"), True),
        )


class ContactIndexEntry(BaseModel):
    """A contact seen by a run's one paged read of PlentyONE: by our identity or by e-mail."""

    run = pw.ForeignKeyField(Run, on_delete="CASCADE")
    kind = pw.CharField(max_length=10)  # identity | email
    key = pw.CharField(max_length=255)
    contact_id = pw.IntegerField()
    is_guest = pw.BooleanField(default=False)

    class Meta:
        indexes = ((("run", "kind", "key"), False),)


class SharedState(BaseModel):
    """Small state shared by every process of a single host: the API token, rate budgets."""

    key = pw.CharField(max_length=255, unique=True)
    value = pw.TextField(default="")
    version = pw.IntegerField(default=0)
    expires_at = pw.DateTimeField(null=True)
    updated_at = pw.DateTimeField(default=utcnow)


class SchemaVersion(BaseModel):
    """The migrations applied to this database."""

    version = pw.IntegerField(primary_key=True)
    name = pw.CharField(max_length=100)
    applied_at = pw.DateTimeField(default=utcnow)


MODELS: tuple[type[BaseModel], ...] = (
    Client,
    MagentoSource,
    Schedule,
    Profile,
    ScheduleFiring,
    ConfigData,
    CustomerLink,
    AddressLink,
    AccountLink,
    GuestKey,
    QueueItem,
    Run,
    RunBatch,
    RunItem,
    SharedState,
    ContactIndexEntry,
)
