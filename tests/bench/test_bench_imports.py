"""Every benchmark still imports: a renamed core or worker API breaks this test, not a bench run."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py")))
def test_the_benchmark_module_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")
