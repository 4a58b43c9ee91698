"""Alert mails through a real local SMTP server: one mail per incident, again after recovery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from core.operations.health import Problem
from core.operations.notify import (
    health_incidents,
    notify,
    open_incidents,
    run_incidents,
)
from core.operations.settings import NotifySettings
from tests.core.operations.helpers import add_run
from tests.worker.conftest import free_port
from tests.worker.offline import offline_profile


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    @property
    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, NotifySettings]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings = NotifySettings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        tls="none",
        sender="plentysync@example.test",
        to=["ops@example.test", "oncall@example.test"],
        error_share=0.2,
    )
    yield box, settings
    controller.stop()


def test_one_mail_per_incident_and_a_new_one_after_recovery(
    sqlite_db: str, mailbox: tuple[Mailbox, NotifySettings]
) -> None:
    box, settings = mailbox
    red = health_incidents([Problem("stale-run:4", "profile eu: run 4 is stale")])

    assert [i.key for i in notify(red, settings)] == ["health:stale-run:4"]
    assert notify(red, settings) == []  # the same incident, checked again: no mail
    assert notify(red, settings) == []
    assert box.subjects == ["plentysync is unhealthy: profile eu: run 4 is stale"]
    message = box.messages[0]
    assert message["To"] == "ops@example.test, oncall@example.test"
    assert "plentysync status" in message.get_payload()

    assert notify([], settings) == []  # recovered: the incident closes
    assert open_incidents() == set()
    notify(red, settings)  # it happens again: a new incident, a new mail
    assert len(box.messages) == 2


def test_failed_run_and_error_share_are_incidents(
    sqlite_db: str, mailbox: tuple[Mailbox, NotifySettings]
) -> None:
    box, settings = mailbox
    profile = offline_profile()
    failed = add_run(profile, "failed", error="PlentyONE refused the credentials")
    many = add_run(profile, "done", total=10, failed=3)
    add_run(profile, "done", total=10, failed=1)  # 10 %: below the threshold
    add_run(profile, "failed", age=dt.timedelta(days=3))  # too old to mail about

    incidents = run_incidents(settings.error_share)
    assert [i.key for i in incidents] == [f"run-failed:{failed.id}", f"run-errors:{many.id}"]
    notify(incidents, settings)
    notify(run_incidents(settings.error_share), settings)
    assert len(box.messages) == 2
    assert "refused the credentials" in box.messages[0].get_payload()
    assert box.subjects[1] == f"plentysync: 3 of 10 customers failed in run {many.id}"


def test_unreachable_server_mails_later(sqlite_db: str) -> None:
    settings = NotifySettings(
        smtp_host="127.0.0.1", smtp_port=free_port(), tls="none", to=["ops@example.test"]
    )
    red = health_incidents([Problem("no-worker", "work waits but no worker is alive")])
    assert notify(red, settings) == []
    assert open_incidents() == set()  # not recorded: the next check tries again


def test_without_smtp_settings_nothing_is_recorded(sqlite_db: str) -> None:
    red = health_incidents([Problem("no-worker", "no worker")])
    assert notify(red, NotifySettings()) == []
    assert open_incidents() == set()
