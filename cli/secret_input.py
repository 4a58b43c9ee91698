"""Passwords, tokens and keys for ``client`` and ``source``: never a value on the command line.

A value typed as an option shows in ``ps`` and stays in the shell history, so no command takes
one. Each secret comes from the first of: the file named by its ``--...-file`` option (``-``
reads standard input; one trailing line break is dropped), its environment variable, or a
hidden prompt when a terminal is attached. Without any of them the command stops and says so.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import typer

from cli._common import fail


@dataclass(frozen=True)
class SecretInput:
    """Where one secret may come from: its file option and its environment variable."""

    option: str  # the flag's stem, e.g. "password" for --password-file
    env: str
    label: str

    @property
    def file_option(self) -> str:
        return f"--{self.option}-file"

    def file_help(self) -> str:
        return (
            f"File holding the {self.label} ('-' reads standard input). Else ${self.env}, "
            "else a hidden prompt on a terminal. Never give it as a value on the command line."
        )


def read_secret(spec: SecretInput, path: Path | None) -> str:
    """The secret from ``path``, else the environment, else a hidden prompt on a terminal."""
    if path is not None:
        return read_secret_file(spec.file_option, path)
    value = os.environ.get(spec.env)
    if value:
        return value
    if not sys.stdin.isatty():
        fail(
            f"the {spec.label} is needed: give {spec.file_option} PATH, set {spec.env}, "
            "or run on a terminal to be asked"
        )
    answer: str = typer.prompt(spec.label[:1].upper() + spec.label[1:], hide_input=True)
    return answer


def read_secret_file(option: str, path: Path) -> str:
    """The secret in ``path`` (given as ``option``); ``-`` reads standard input."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{option} {path}: {exc.strerror or exc}")
    value = text.removesuffix("\n").removesuffix("\r")
    if not value:
        fail(f"{option} {path}: the file is empty")
    return value
