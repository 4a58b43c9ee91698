"""Form fields generated from a pydantic model: what each field is, its widget, its value.

A field's annotation decides its widget (bool -> Switch, Literal -> Select, a number ->
Input checked against the field's bounds, text -> Input, a list of numbers -> Input of
comma-separated numbers, a list of models -> a row editor); its description becomes the
help line. A setting added to a model therefore appears in the editor by itself.

Values are read back as typed, not judged: a word in a number field goes to the core as it
is, and the core's message names the problem under the field.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from textual.validation import Integer, Number, Validator
from textual.widget import Widget
from textual.widgets import Input, Select, Switch

Kind = Literal["switch", "select", "number", "text", "numbers", "rows"]
Options = Sequence[tuple[str, Any]]
EMPTY = "(empty)"


@dataclass(frozen=True)
class FieldSpec:
    """One field of a model as a form shows it; ``path`` as the core names it."""

    name: str
    path: str
    kind: Kind
    label: str
    help: str
    optional: bool = False
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None
    literals: tuple[str, ...] = ()
    row_model: type[BaseModel] | None = None
    default: Any = None

    @property
    def widget_id(self) -> str:
        return widget_id(self.path)


def widget_id(path: str) -> str:
    """A widget id for a field path: ``store.store_mapping[0].locale`` ->
    ``f-store-store_mapping-0-locale``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` and ``Annotated``, and whether ``None`` is allowed."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        optional = len(rest) < len(args)
        if len(rest) == 1:
            annotation = rest[0]
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for item in info.metadata:
        for attr in ("ge", "gt"):
            if getattr(item, attr, None) is not None:
                low = getattr(item, attr)
        for attr in ("le", "lt"):
            if getattr(item, attr, None) is not None:
                high = getattr(item, attr)
    return low, high


def _default(info: FieldInfo) -> Any:
    if info.default is not PydanticUndefined:
        return info.default
    return None  # a default_factory (a list) or a required field: a new row starts empty


def _kind(annotation: Any) -> tuple[Kind, bool, tuple[str, ...], type[BaseModel] | None]:
    if annotation is bool:
        return "switch", False, (), None
    if typing.get_origin(annotation) is Literal:
        return "select", False, tuple(str(a) for a in typing.get_args(annotation)), None
    if annotation in (int, float):
        return "number", annotation is int, (), None
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        item, _ = _unwrap(item)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "rows", False, (), item
        if item in (int, float):
            return "numbers", item is int, (), None
    return "text", False, (), None


def describe_fields(model: type[BaseModel], prefix: str) -> list[FieldSpec]:
    """Every field of ``model`` in declaration order, paths under ``prefix``."""
    specs = []
    for name, info in model.model_fields.items():
        annotation, optional = _unwrap(info.annotation)
        kind, integer, literals, row_model = _kind(annotation)
        low, high = _bounds(info)
        specs.append(
            FieldSpec(
                name=name,
                path=f"{prefix}.{name}" if prefix else name,
                kind=kind,
                label=name.replace("_", " "),
                help=info.description or "",
                optional=optional,
                integer=integer,
                minimum=low,
                maximum=high,
                literals=literals,
                row_model=row_model,
                default=_default(info),
            )
        )
    return specs


def _validators(spec: FieldSpec) -> list[Validator]:
    kind = Integer if spec.integer else Number
    return [kind(minimum=spec.minimum, maximum=spec.maximum)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def select_options(spec: FieldSpec, value: Any, options: Options | None) -> list[tuple[str, Any]]:
    offered = list(options) if options is not None else [(lit, lit) for lit in spec.literals]
    if value not in (None, "") and value not in [v for _label, v in offered]:
        offered.append((f"{_text(value)} (not collected)", value))
    return offered


def build_widget(spec: FieldSpec, value: Any, options: Options | None = None) -> Widget:
    """The widget for one field showing ``value``; ``options`` turn a number into a Select."""
    wid = spec.widget_id
    if spec.kind == "switch":
        return Switch(value=bool(value), id=wid)
    if spec.kind == "select" or options is not None:
        offered = select_options(spec, value, options)
        blank = spec.optional or spec.kind != "select" or value in (None, "")
        return Select(
            offered,
            value=value if value not in (None, "") else Select.NULL,
            allow_blank=blank,
            prompt=EMPTY if spec.optional else "choose…",
            id=wid,
            compact=True,
        )
    if spec.kind == "number":
        return Input(
            _text(value),
            placeholder=EMPTY if spec.optional else "",
            validators=_validators(spec),
            id=wid,
            compact=True,
        )
    if spec.kind == "numbers":
        return Input(
            ", ".join(_text(v) for v in value or []), placeholder="e.g. 2, 5", id=wid, compact=True
        )
    return Input(_text(value), id=wid, compact=True)


def _number(text: str, integer: bool) -> Any:
    try:
        return int(text) if integer else float(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # the core names what is wrong with it


def read_widget(spec: FieldSpec, widget: Widget) -> Any:
    """The value a field's widget holds, in the document's shape."""
    if isinstance(widget, Switch):
        return widget.value
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    assert isinstance(widget, Input)
    text = widget.value.strip()
    if spec.kind == "number":
        if not text:
            return None if spec.optional else ""
        return _number(text, spec.integer)
    if spec.kind == "numbers":
        return [_number(part.strip(), spec.integer) for part in text.split(",") if part.strip()]
    if not text and spec.optional:
        return None
    return widget.value
