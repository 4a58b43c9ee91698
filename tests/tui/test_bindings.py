"""Every key binding of the TUI has a unique id (for keymaps) and a description (for help)."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import tui


def tui_classes() -> list[type[DOMNode]]:
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        importlib.import_module(info.name)
    found: list[type[DOMNode]] = []
    stack: list[type[DOMNode]] = [DOMNode]
    while stack:
        cls = stack.pop()
        stack += cls.__subclasses__()
        if cls.__module__.startswith("tui.") and "BINDINGS" in cls.__dict__:
            found.append(cls)
    return found


def test_every_binding_has_a_unique_id_and_a_description() -> None:
    classes = tui_classes()
    assert {c.__name__ for c in classes} >= {"PlentysyncApp", "DashboardScreen", "RunViewScreen"}
    ids: list[str] = []
    for cls in classes:
        for binding in cls.__dict__["BINDINGS"]:
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not a Binding"
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            assert binding.description, f"{cls.__name__}: {binding.id} has no description"
            ids.append(binding.id)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
