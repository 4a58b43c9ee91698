"""Running ``plentysync`` as a sysadmin does: a real process with its own data directory, or
the same command in the test's process; and both sandboxes with a runnable profile on them.

Most tests run the command in this process (``in_process``), which costs no interpreter start;
a few keep a real process (``plentysync``) for what only one shows: the console script, its
exit status, signals and Ctrl-C, secrets that reach it through the environment only.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import chdir, contextmanager
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from cli.main import app
from core.operations.logfile import TEXT_FORMAT
from core.settings import reset_settings
from sandbox.magento import DEFAULT_INTEGRATION_TOKEN, MagentoSandboxConfig
from sandbox.magento import create_app as magento_app
from sandbox.plenty import Faults, RateLimits, SandboxConfig
from sandbox.plenty import create_app as plenty_app
from sandbox.server import RunningServer, serve_in_thread
from worker.settings import reset_worker_settings

ROOT = Path(__file__).resolve().parents[2]
# The sandboxes' secrets, given to client and source commands as a script gives them.
SECRETS = {
    "PLENTYSYNC_CLIENT_PASSWORD": "api-password",
    "PLENTYSYNC_SOURCE_TOKEN": DEFAULT_INTEGRATION_TOKEN,
}
# A client whose budget the sandboxes' high limits never hold back.
FAST_CLIENT = ("--read-limit", "50000", "--write-limit", "50000")
STORE_MAPPING = 'store.store_mapping=[{"store_id":"*","plenty_id":12345,"locale":"en"}]'

_runner = CliRunner()


def invoke(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    """``plentysync *args`` in this process (the test's own data directory)."""
    return _runner.invoke(app, list(args), input=stdin, env=env)


def invoke_ok(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    """``invoke``, which must succeed."""
    result = invoke(*args, stdin=stdin, env=env)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def invoke_json(*args: str) -> Any:
    """The document ``plentysync *args --json`` prints, in this process."""
    return json.loads(invoke_ok(*args, "--json").stdout)


def _env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENTYSYNC_")}
    env.update(extra or {})
    env["PLENTYSYNC_HOME"] = str(home)
    return env


def plentysync(
    home: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``plentysync *args`` in a process of its own; ``env`` adds variables (secrets)."""
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env=_env(home, env),
        input=stdin,
        timeout=timeout,
        cwd=ROOT,
    )


class _StderrNow(logging.StreamHandler):
    """Log lines to whatever ``sys.stderr`` is when they are written (the runner's, inside it).

    A process of its own logs to stderr through ``logging.basicConfig``; in this process the
    root logger already has pytest's handlers, so the command would add none.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(TEXT_FORMAT))

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def in_process(
    home: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``plentysync(home, *args)`` run in this process: the same exit status, stdout and
    stderr (log lines and an unexpected error's traceback included), without a new interpreter.

    Settings are read afresh for ``home`` and ``env`` and forgotten afterwards, as a new
    process would; like it, the command sees no other ``PLENTYSYNC_`` variable of the test's.
    """
    variables: dict[str, str | None] = {k: None for k in os.environ if k.startswith("PLENTYSYNC_")}
    variables.update(env or {})
    variables["PLENTYSYNC_HOME"] = str(home)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {h: list(h.filters) for h in handlers}
    root.addHandler(_StderrNow())
    reset_settings()
    reset_worker_settings()
    try:
        with chdir(ROOT):  # where ``plentysync`` runs, so relative paths mean the same
            result = _runner.invoke(app, list(args), input=stdin, env=variables)
    finally:
        # What the command set up for its process (log file, masking) ends with it.
        for added in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(added)
            added.close()
        for kept, before in filters.items():
            kept.filters[:] = before
        root.setLevel(level)
        reset_settings()
        reset_worker_settings()
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, stderr)


# A shell runs a script's background commands (``make test &``, ``nohup``) with Ctrl-C
# ignored, and an ignored signal stays ignored in every process started below them: Python
# then installs no KeyboardInterrupt at all, as it should, and the SIGINT a test sends is lost.
# This runs a command as a shell runs a foreground one, with SIGINT's default, whoever
# started the tests (the same process id: it replaces itself with the command).
_AS_FOREGROUND = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def in_foreground(argv: Sequence[str]) -> list[str]:
    """The command line that runs ``argv`` with Ctrl-C (SIGINT) at its default, to be sent it."""
    return [sys.executable, "-I", "-S", "-c", _AS_FOREGROUND, *argv]


@contextmanager
def sigint_handled(handler: Any = signal.SIG_IGN) -> Iterator[None]:
    """This process handles SIGINT with ``handler`` inside the block; by default it ignores it,
    as tests started in the background of a script do (their children inherit that). Main
    thread only."""
    before = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def start_plentysync(home: Path, *args: str) -> subprocess.Popen[str]:
    """``plentysync`` running in the background, for a test that interrupts it as Ctrl-C
    at a terminal does (SIGINT reaches it however the tests were started)."""
    return subprocess.Popen(
        in_foreground([sys.executable, "-m", "cli.main", *args]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(home),
        cwd=ROOT,
    )


@contextmanager
def serving_sandbox(*args: str) -> Iterator[subprocess.Popen[str]]:
    """``plentysync sandbox *args`` serving from a process of its own until the block ends.

    Its output is unbuffered, with stderr in stdout; the block's end interrupts it as Ctrl-C
    does, and kills it if it does not stop within ten seconds.
    """
    process = subprocess.Popen(
        in_foreground([sys.executable, "-m", "cli.main", "sandbox", *args]),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def add_sandbox_client(home: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``client add`` for the PlentyONE sandbox's default user (in this process)."""
    return in_process(
        home,
        *["client", "add", "--name", "erp", "--username", "api-user", "--url", url, *extra],
        env={"PLENTYSYNC_CLIENT_PASSWORD": "api-password"},
    )


@contextmanager
def small_sandboxes(
    customers: int = 10, seed: int = 3, orders: int = 0, faults: Faults | None = None
) -> Iterator[tuple[RunningServer, RunningServer]]:
    """Both emulators, PlentyONE with high limits (and ``faults``), the shop with ``customers``:
    (PlentyONE, Magento)."""
    limits = RateLimits(short_read=50_000, short_write=50_000)
    plenty_config = SandboxConfig(limits=limits, faults=faults or Faults())
    shop_config = MagentoSandboxConfig(customers=customers, seed=seed, orders=orders)
    with (
        serve_in_thread(plenty_app(plenty_config)) as plenty,
        serve_in_thread(magento_app(shop_config)) as shop,
    ):
        yield plenty, shop


def client_and_source_steps(
    plenty_url: str, shop_url: str, client: Sequence[str] = (), namespace: str = "shop-eu"
) -> list[list[str]]:
    """The commands that add client ``erp`` (options ``client`` added) and source ``shop``."""
    return [
        ["client", "add", "--name", "erp", "--username", "api-user", "--url", plenty_url, *client],
        ["source", "add", "--name", "shop", "--namespace", namespace, "--url", shop_url],
    ]


def add_client_and_source_in_process(
    plenty_url: str, shop_url: str, client: Sequence[str] = ()
) -> None:
    """Client ``erp`` and source ``shop``, added in this process with the sandboxes' secrets."""
    for args in client_and_source_steps(plenty_url, shop_url, client):
        invoke_ok(*args, env=SECRETS)


def profile_steps(
    plenty: RunningServer,
    shop: RunningServer,
    *sets: str,
    client: Sequence[str] = (),
    namespace: str = "shop-eu",
) -> list[list[str]]:
    """The commands that set up client ``erp``, source ``shop`` and a runnable profile ``eu``.

    ``client`` adds options to ``client add``, ``sets`` adds ``--set`` values to the profile.
    """
    return [
        *client_and_source_steps(plenty.base_url, shop.base_url, client, namespace),
        ["customer", "collect-config", "--client-id", "erp", "--source-id", "shop"],
        ["profile", "create", "--name", "eu", "--client", "erp", "--source", "shop",
         "--set", "schedule.status=false", "--set", "store.referrer_id=1", "--set", STORE_MAPPING,
         *(arg for value in sets for arg in ("--set", value))],
    ]  # fmt: skip


def set_up_profile(
    home: Path, plenty: RunningServer, shop: RunningServer, *sets: str, client: Sequence[str] = ()
) -> None:
    """Client ``erp``, source ``shop`` and a runnable profile ``eu`` on the sandboxes (the
    commands run in this process, with ``home`` their data directory)."""
    for args in profile_steps(plenty, shop, *sets, client=client):
        done = in_process(home, *args, env=SECRETS)
        assert done.returncode == 0, (args, done.stderr)


def set_up_profile_in_process(
    plenty: RunningServer,
    shop: RunningServer,
    *sets: str,
    client: Sequence[str] = (),
    namespace: str = "shop-eu",
) -> list[Result]:
    """``set_up_profile`` with the commands run in this process; their results, in order."""
    steps = profile_steps(plenty, shop, *sets, client=client, namespace=namespace)
    return [invoke_ok(*args, env=SECRETS) for args in steps]
