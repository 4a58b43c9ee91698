"""Frozen table definitions for migrations, so a migration never depends on today's models.

A snapshot is plain JSON data (``core/db/schema/NNNN.json``): for each table its columns and
indexes as they were when the migration was written. ``tables_from_snapshot`` turns it back
into throw-away peewee models that can create exactly those tables on SQLite or PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import peewee as pw

SCHEMA_DIR = Path(__file__).with_name("schema")

_FIELD_TYPES: dict[str, type[pw.Field]] = {
    "CharField": pw.CharField,
    "TextField": pw.TextField,
    "IntegerField": pw.IntegerField,
    "SmallIntegerField": pw.SmallIntegerField,
    "BooleanField": pw.BooleanField,
    "DateTimeField": pw.DateTimeField,
    "FloatField": pw.FloatField,
    "AutoField": pw.AutoField,
}


def _field_kind(field: pw.Field) -> str:
    for cls in type(field).__mro__:
        if cls.__name__ in _FIELD_TYPES:
            return cls.__name__
    raise TypeError(f"no snapshot type for {type(field).__name__}")


def snapshot(models: tuple[type[pw.Model], ...]) -> dict[str, Any]:
    """Describe the tables of ``models`` as JSON-ready data."""
    tables: dict[str, Any] = {}
    for model in models:
        columns = []
        for field in model._meta.sorted_fields:
            column: dict[str, Any] = {"name": field.column_name, "null": field.null}
            if isinstance(field, pw.ForeignKeyField):
                column["references"] = field.rel_model._meta.table_name
                column["on_delete"] = field.on_delete
            else:
                column["type"] = _field_kind(field)
            if field.primary_key:
                column["primary_key"] = True
            if field.unique:
                column["unique"] = True
            if getattr(field, "max_length", None):
                column["max_length"] = field.max_length
            columns.append(column)
        indexes = [
            {"columns": [_column_name(model, f) for f in fields], "unique": unique}
            for fields, unique in model._meta.indexes
        ]
        tables[model._meta.table_name] = {"columns": columns, "indexes": indexes}
    return tables


def _column_name(model: type[pw.Model], field_name: str) -> str:
    return str(model._meta.fields[field_name].column_name)


def load_snapshot(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def tables_from_snapshot(
    tables: dict[str, Any], database: pw.Database, known: dict[str, type[pw.Model]] | None = None
) -> list[type[pw.Model]]:
    """Throw-away models for the snapshot's tables, in creation order, bound to ``database``."""
    built: dict[str, type[pw.Model]] = dict(known or {})
    ordered: list[type[pw.Model]] = []
    for table, spec in tables.items():
        attrs: dict[str, Any] = {}
        for column in spec["columns"]:
            attrs[column["name"]] = _build_field(column, built)
        meta_attrs = {
            "database": database,
            "table_name": table,
            "indexes": tuple((tuple(ix["columns"]), ix["unique"]) for ix in spec["indexes"]),
        }
        attrs["Meta"] = type("Meta", (), meta_attrs)
        model = type(f"Frozen_{table}", (pw.Model,), attrs)
        built[table] = model
        ordered.append(model)
    return ordered


def _build_field(column: dict[str, Any], built: dict[str, type[pw.Model]]) -> pw.Field:
    options: dict[str, Any] = {"null": column["null"], "column_name": column["name"]}
    if column.get("unique"):
        options["unique"] = True
    if "references" in column:
        return pw.ForeignKeyField(
            built[column["references"]], on_delete=column.get("on_delete"), **options
        )
    kind = _FIELD_TYPES[column["type"]]
    if column.get("primary_key") and kind is not pw.AutoField:
        options["primary_key"] = True
    if column.get("max_length"):
        options["max_length"] = column["max_length"]
    return kind(**options)
