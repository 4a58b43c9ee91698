"""Alert mails: a failed or paused run, a run with too many failed customers, a red health
check.

Each alert is an *incident* with a stable key. An open incident is a ``SharedState`` row
``incident:<key>``, taken before the mail goes out, so a check repeated every few minutes
(or by two processes at once) mails once; when the condition is gone the row is removed,
and a later recurrence is a new incident with a new mail.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

import peewee as pw

from core.db.connection import write_transaction
from core.db.models import Profile, Run, SharedState, utcnow
from core.operations.health import Problem
from core.operations.settings import NotifySettings

log = logging.getLogger(__name__)

PREFIX = "incident:"
# Runs that ended longer ago than this are not looked at (no mails about old history).
RUN_LOOKBACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class Incident:
    """Something a human should hear about once."""

    key: str
    subject: str
    body: str


def run_incidents(
    error_share: float, *, now: dt.datetime | None = None, lookback: dt.timedelta = RUN_LOOKBACK
) -> list[Incident]:
    """Failed runs and finished runs whose failed share is above ``error_share``."""
    since = (now or utcnow()) - lookback
    found: list[Incident] = []
    query = (
        Run.select(Run, Profile.name)
        .join(Profile)
        .where(Run.finished_at.is_null(False) & (Run.finished_at >= since))
        .order_by(Run.id)
    )
    for run in query:
        name = run.profile.name
        if run.status == "failed":
            found.append(
                Incident(
                    f"run-failed:{run.id}",
                    f"plentysync: run {run.id} of profile {name} failed",
                    f"Run {run.id} of profile {name} failed: {run.error or 'no reason recorded'}\n"
                    f"See: plentysync history show {run.id}\n",
                )
            )
        elif run.total and run.failed / run.total > error_share:
            found.append(
                Incident(
                    f"run-errors:{run.id}",
                    f"plentysync: {run.failed} of {run.total} customers failed in run {run.id}",
                    f"Run {run.id} of profile {name} ended {run.status} with {run.failed} of "
                    f"{run.total} customers failed (threshold {error_share:.0%}).\n"
                    f"See: plentysync history show {run.id}\n",
                )
            )
    paused = Run.select(Run, Profile.name).join(Profile).where(Run.status == "paused")
    found += [paused_incident(run) for run in paused.order_by(Run.id)]
    return found


def paused_incident(run: Run) -> Incident:
    """A run a guardrail paused: open until the run is resumed or cancelled."""
    name = run.profile.name
    return Incident(
        f"run-paused:{run.id}",
        f"plentysync: run {run.id} of profile {name} paused",
        f"Run {run.id} of profile {name} paused: {run.pause_reason or 'no reason recorded'}\n"
        f"Go on with: plentysync run resume {run.id}\n"
        f"Or stop it: plentysync run cancel {run.id}\n",
    )


def mail_once(incident: Incident, settings: NotifySettings) -> bool:
    """Mail one incident now unless it is open already, leaving every other incident alone.

    The watchdog's next check finds it open (``run_incidents``) and does not mail it again.
    """
    if not settings.enabled or not _open(incident):
        return False
    try:
        send_mail(settings, incident.subject, incident.body)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("alert mail for %s not sent, trying again later: %s", incident.key, exc)
        _close({incident.key})
        return False
    return True


def health_incidents(problems: list[Problem]) -> list[Incident]:
    """One incident per problem of the health check."""
    return [
        Incident(
            f"health:{p.key}",
            f"plentysync is unhealthy: {p.message}",
            f"The health check found: {p.message}\nSee: plentysync status\n",
        )
        for p in problems
    ]


def send_mail(settings: NotifySettings, subject: str, body: str) -> None:
    """Send one mail through the configured SMTP server."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Subject"] = subject
    message.set_content(body)
    host, port = settings.smtp_host or "", settings.smtp_port
    smtp: smtplib.SMTP
    if settings.tls == "ssl":
        smtp = smtplib.SMTP_SSL(
            host, port, timeout=settings.timeout_s, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=settings.timeout_s)
    with smtp:
        if settings.tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.user and settings.password is not None:
            smtp.login(settings.user, settings.password.get_secret_value())
        smtp.send_message(message)


def _open(incident: Incident) -> bool:
    """Record the incident as open; false if it already was (someone mailed it)."""
    try:
        with write_transaction():
            SharedState.create(
                key=PREFIX + incident.key,
                value=json.dumps({"subject": incident.subject}),
                version=1,
                updated_at=utcnow(),
            )
    except pw.IntegrityError:
        return False
    return True


def _close(keys: set[str]) -> None:
    with write_transaction():
        SharedState.delete().where(SharedState.key.in_([PREFIX + k for k in keys])).execute()


def open_incidents() -> set[str]:
    """The keys of the incidents mailed and not recovered yet."""
    rows = SharedState.select(SharedState.key).where(SharedState.key.startswith(PREFIX))
    return {row.key[len(PREFIX) :] for row in rows}


def notify(incidents: list[Incident], settings: NotifySettings) -> list[Incident]:
    """Mail every new incident once and close those that recovered; returns what was mailed.

    Without SMTP settings nothing is mailed or recorded. A mail that cannot be sent leaves
    the incident unrecorded, so the next check tries again.
    """
    if not settings.enabled:
        return []
    current = {incident.key for incident in incidents}
    recovered = open_incidents() - current
    if recovered:
        _close(recovered)
        log.info("recovered: %s", ", ".join(sorted(recovered)))
    mailed = []
    for incident in incidents:
        if not _open(incident):
            continue
        try:
            send_mail(settings, incident.subject, incident.body)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("alert mail for %s not sent, trying again later: %s", incident.key, exc)
            _close({incident.key})
            continue
        mailed.append(incident)
    return mailed
