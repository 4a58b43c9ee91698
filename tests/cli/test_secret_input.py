"""Secrets reach ``client`` and ``source`` from a file, the environment or a hidden prompt only."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.clients import get_client
from core.db import init_database
from core.db.connection import database
from core.secrets import decrypt
from core.settings import reset_settings
from core.sources import get_source, source_secrets
from tests.cli.support import ROOT, plentysync
from tests.cli.support import in_process as cli

CLIENT = ["client", "add", "--name", "erp", "--url", "http://127.0.0.1:1", "--username", "api"]
SOURCE = [
    "source",
    "add",
    "--name",
    "shop",
    "--namespace",
    "shop-eu",
    "--url",
    "http://127.0.0.1:2",
]


def stored_password(home: Path) -> str:
    reset_settings()
    init_database(announce=False)
    try:
        return decrypt(get_client("erp").password).reveal()
    finally:
        database.close()


def stored_source_secrets(home: Path) -> dict[str, str]:
    reset_settings()
    init_database(announce=False)
    try:
        return {k: v.reveal() for k, v in source_secrets(get_source("shop")).items()}
    finally:
        database.close()


def test_the_client_password_comes_from_a_file_stdin_or_the_environment(
    plentysync_home: Path, tmp_path: Path
) -> None:
    # Processes of their own, as a script runs them: nothing of the test's reaches them.
    secret_file = tmp_path / "erp.password"
    secret_file.write_text("From-File-PW\n")
    added = plentysync(plentysync_home, *CLIENT, "--password-file", str(secret_file))
    assert added.returncode == 0, added.stderr
    assert stored_password(plentysync_home) == "From-File-PW"

    edited = plentysync(
        plentysync_home, "client", "edit", "erp", "--password-file", "-", stdin="Piped\n"
    )
    assert edited.returncode == 0, edited.stderr
    assert stored_password(plentysync_home) == "Piped"

    env = {"PLENTYSYNC_CLIENT_PASSWORD": "From-Env-PW"}
    unchanged = plentysync(plentysync_home, "client", "edit", "erp", "--plan", "classic", env=env)
    assert unchanged.returncode == 0, unchanged.stderr
    assert stored_password(plentysync_home) == "Piped"  # the variable is read only when asked
    edited = plentysync(plentysync_home, "client", "edit", "erp", "--password", env=env)
    assert edited.returncode == 0, edited.stderr
    assert stored_password(plentysync_home) == "From-Env-PW"


def test_a_secret_value_on_the_command_line_is_refused(plentysync_home: Path) -> None:
    given = cli(plentysync_home, *CLIENT, "--password", "Visible-In-ps")
    assert given.returncode == 2 and "No such option: --password" in given.stderr
    given = cli(plentysync_home, *SOURCE, "--token", "Visible-In-ps")
    assert given.returncode == 2 and "No such option: --token" in given.stderr
    assert not (plentysync_home / "plentysync.db").exists()  # nothing was stored


def test_without_file_variable_or_terminal_the_command_says_what_to_give(
    plentysync_home: Path,
) -> None:
    missing = cli(plentysync_home, *CLIENT, stdin="")
    assert missing.returncode == 2
    assert "--password-file" in missing.stderr and "PLENTYSYNC_CLIENT_PASSWORD" in missing.stderr
    missing = cli(plentysync_home, *SOURCE, "--auth", "oauth1", stdin="")
    assert missing.returncode == 2
    assert "--consumer-key-file PATH, set PLENTYSYNC_SOURCE_CONSUMER_KEY" in missing.stderr


def test_source_secrets_from_files_and_variables(plentysync_home: Path, tmp_path: Path) -> None:
    (tmp_path / "ck").write_text("ck-1\n")
    oauth = {
        "PLENTYSYNC_SOURCE_CONSUMER_SECRET": "cs-2",
        "PLENTYSYNC_SOURCE_ACCESS_TOKEN": "at-3",
        "PLENTYSYNC_SOURCE_ACCESS_TOKEN_SECRET": "ats-4",
    }
    added = cli(
        plentysync_home,
        *SOURCE,
        *["--auth", "oauth1", "--consumer-key-file", str(tmp_path / "ck")],
        env=oauth,
    )
    assert added.returncode == 0, added.stderr
    assert stored_source_secrets(plentysync_home) == {
        "consumer_key": "ck-1",
        "consumer_secret": "cs-2",
        "access_token": "at-3",
        "access_token_secret": "ats-4",
    }
    (tmp_path / "ats").write_text("ats-5")
    one = cli(plentysync_home, "source", "edit", "shop", "--access-token-secret-file", "ats")
    assert one.returncode == 2 and "--access-token-secret-file ats" in one.stderr  # no such file
    one = cli(
        plentysync_home,
        "source",
        "edit",
        "shop",
        "--access-token-secret-file",
        str(tmp_path / "ats"),
    )
    assert one.returncode == 0, one.stderr
    assert stored_source_secrets(plentysync_home)["access_token_secret"] == "ats-5"
    switched = cli(
        plentysync_home,
        *["source", "edit", "shop", "--auth", "bearer"],
        env={"PLENTYSYNC_SOURCE_TOKEN": "integration-6"},
    )
    assert switched.returncode == 0, switched.stderr
    assert stored_source_secrets(plentysync_home) == {"token": "integration-6"}


def read_until(fd: int, done: Callable[[bytes], bool], seconds: float = 60) -> bytes:
    """What the terminal shows until ``done`` says so, the time is up or it closes."""
    seen = b""
    deadline = time.monotonic() + seconds
    while not done(seen) and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_on_a_terminal_the_password_is_asked_for_hidden(plentysync_home: Path) -> None:
    parent, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_")}
    env["PLENTYSYNC_HOME"] = str(plentysync_home)
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", *CLIENT],
        stdin=child,
        stdout=child,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    shown = read_until(parent, lambda seen: b"password:" in seen.lower())
    # Type only once the prompt has switched echo off (it discards what came before).
    deadline = time.monotonic() + 30
    while termios.tcgetattr(parent)[3] & termios.ECHO and time.monotonic() < deadline:
        time.sleep(0.05)
    os.write(parent, b"Typed-PW\n")
    assert process.wait(timeout=30) == 0, process.stderr.read() if process.stderr else ""
    shown += read_until(parent, lambda seen: False, seconds=2)
    os.close(parent)
    assert b"Typed-PW" not in shown  # not echoed
    assert b"client 1 'erp' added" in shown
    assert stored_password(plentysync_home) == "Typed-PW"


@pytest.mark.parametrize(
    ("command", "names"),
    [
        (["client", "add"], ["--password-file", "PLENTYSYNC_CLIENT_PASSWORD", "hidden prompt"]),
        (["client", "edit"], ["--password-file", "PLENTYSYNC_CLIENT_PASSWORD"]),
        (["source", "add"], ["--token-file", "PLENTYSYNC_SOURCE_TOKEN", "--password-file"]),
        (["source", "edit"], ["--credentials", "--consumer-secret-file"]),
    ],
)
def test_help_says_where_secrets_come_from(
    plentysync_home: Path, command: list[str], names: list[str]
) -> None:
    shown = cli(plentysync_home, *command, "--help", env={"COLUMNS": "200"})
    assert shown.returncode == 0
    text = " ".join(shown.stdout.split())
    for name in names:
        assert name in text


def test_a_new_secret_key_comes_from_a_file(plentysync_home: Path, tmp_path: Path) -> None:
    added = cli(plentysync_home, *CLIENT, env={"PLENTYSYNC_CLIENT_PASSWORD": "Kept-PW"})
    assert added.returncode == 0, added.stderr
    given = cli(plentysync_home, "secrets", "rotate-key", "--new-key", "x")
    assert given.returncode == 2 and "No such option: --new-key" in given.stderr
    key = cli(plentysync_home, "secrets", "generate-key").stdout.strip()
    (tmp_path / "new.key").write_text(key + "\n")
    rotated = cli(
        plentysync_home, "secrets", "rotate-key", "--new-key-file", str(tmp_path / "new.key")
    )
    assert rotated.returncode == 0, rotated.stderr
    assert (plentysync_home / "secret.key").read_text().split() == [key]
    assert stored_password(plentysync_home) == "Kept-PW"
