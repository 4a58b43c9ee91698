"""Fixtures for the command-line tests."""

from __future__ import annotations

import pytest

from tests.cli.support import SECRETS


@pytest.fixture
def secrets_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets reach client and source commands through the environment, as in scripts."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
