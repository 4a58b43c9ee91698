"""Each public package's ``__all__`` is its true surface: every name exists, none is missing.

"Missing" means imported from the package by another package of ours (``core``, ``worker``,
``cli``, ``tui``). A package whose ``__all__`` lists its modules (it leaves them to be imported
where used) must also list every module that other packages import.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PACKAGES = ("core", "worker", "cli", "tui")
PUBLIC_PACKAGES = [
    "core",
    "core.db",
    "core.export",
    "core.magento",
    "core.mapping",
    "core.operations",
    "core.plenty",
    "core.profiles",
    "core.services",
    "core.tools",
    "worker",
]


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


@functools.cache
def _imports() -> tuple[tuple[str, str, str | None], ...]:
    """(importing module, imported module, imported name or None) for our absolute imports."""
    return tuple(_scan())


def _scan() -> Iterator[tuple[str, str, str | None]]:
    for top in SOURCE_PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            importer = _module_name(path)
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    for alias in node.names:
                        yield importer, node.module, alias.name
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        yield importer, alias.name, None


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_submodule(package: str, name: str) -> bool:
    return importlib.util.find_spec(f"{package}.{name}") is not None


def used_from_outside(package: str) -> tuple[set[str], set[str]]:
    """Names other packages import from ``package``, and its modules they import directly."""
    names: set[str] = set()
    modules: set[str] = set()
    for importer, imported, name in _imports():
        if _inside(importer, package) or not _inside(imported, package):
            continue
        if imported == package:
            if name is not None:
                names.add(name)
        else:
            modules.add(imported[len(package) + 1 :].split(".")[0])
    return names, modules


def _exported(package: str) -> tuple[ModuleType, list[str]]:
    module = importlib.import_module(package)
    assert "__all__" in vars(module), f"{package} has no __all__"
    return module, list(module.__all__)


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_every_name_in_all_exists(package: str) -> None:
    module, exported = _exported(package)
    assert exported, f"{package}.__all__ is empty"
    assert len(exported) == len(set(exported)), f"{package}.__all__ repeats a name"
    absent = [
        name for name in exported if not hasattr(module, name) and not _is_submodule(package, name)
    ]
    assert absent == [], f"{package}.__all__ names what does not exist: {absent}"


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_nothing_other_packages_import_is_left_out_of_all(package: str) -> None:
    _, exported = _exported(package)
    names, modules = used_from_outside(package)
    assert sorted(names - set(exported)) == []
    if all(_is_submodule(package, name) for name in exported):
        public = {name for name in modules if not name.startswith("_")}
        assert sorted(public - set(exported)) == []


def test_the_import_scan_sees_imports_from_outside() -> None:
    names, modules = used_from_outside("core.export")
    assert {"runs", "service"} <= names | modules
    names, modules = used_from_outside("worker")
    assert "shared_backends" in names
    assert used_from_outside("core.db")[0] >= {"init_database", "redact_url"}
