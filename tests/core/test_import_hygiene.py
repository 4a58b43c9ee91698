"""Importing ``core`` loads no UI, emulator or worker library: front ends and tools can use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import core

FORBIDDEN = ["textual", "faker", "uvicorn", "starlette", "dramatiq", "typer"]
SUBPACKAGES = sorted(
    f"core.{path.parent.name}" for path in Path(core.__file__).parent.glob("*/__init__.py")
)
PACKAGES = ["core", *SUBPACKAGES]

# A fresh interpreter imports each package in turn, with every module its ``__all__`` lists
# (a package that leaves its modules to be imported where used still has them loaded), and
# reports which forbidden libraries appeared after each one, so the culprit is named.
PROBE = """
import importlib, json, sys
forbidden = set(json.loads(sys.argv[1]))
found = {}
for name in json.loads(sys.argv[2]):
    package = importlib.import_module(name)
    for member in getattr(package, "__all__", []):
        if not hasattr(package, member):
            importlib.import_module(f"{name}.{member}")
    loaded = forbidden & {module.split(".")[0] for module in sys.modules}
    found[name] = sorted(loaded - {lib for libs in found.values() for lib in libs})
print(json.dumps(found))
"""


def _forbidden_loaded_by(packages: list[str]) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(FORBIDDEN), json.dumps(packages)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, list[str]] = json.loads(result.stdout)
    return found


def test_every_package_of_core_is_probed() -> None:
    assert {"core", "core.export", "core.plenty", "core.tools", "core.profiles"} <= set(PACKAGES)


def test_importing_core_and_its_packages_loads_no_ui_emulator_or_worker_library() -> None:
    found = _forbidden_loaded_by(PACKAGES)
    assert list(found) == PACKAGES
    assert {name: libs for name, libs in found.items() if libs} == {}


def test_the_probe_names_the_package_that_loads_a_forbidden_library() -> None:
    # cli imports typer: the same probe must say so, or the check above proves nothing.
    found = _forbidden_loaded_by(["core", "cli.main"])
    assert found["core"] == []
    assert "typer" in found["cli.main"]
