"""Older option spellings keep working but leave ``--help`` and the error hints.

Options such as ``--profile`` were once spelled ``--profile-id``; scripts written then still
pass the old spelling. Each option shows its first long name (and any short one) in ``--help``;
the further long names are taken off the option's displayed names and handed to the parser
only, so both spellings parse and a newcomer reads one.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_HIDDEN = "_plentysync_old_spellings"
_DONE = "_plentysync_spellings_hidden"


class _AliasedOption(TyperOption):
    """An option whose older long names are parsed but never shown."""

    def add_to_parser(self, parser: Any, ctx: Any) -> None:
        shown = self.opts
        self.opts = [*shown, *getattr(self, _HIDDEN)]
        try:
            super().add_to_parser(parser, ctx)
        finally:
            self.opts = shown


def hide_old_spellings(command: Any) -> None:
    """Hide the second and later long names of every option in ``command``'s tree."""
    if getattr(command, _DONE, False):
        return
    setattr(command, _DONE, True)
    for param in command.params:
        if not isinstance(param, TyperOption) or type(param) is not TyperOption:
            continue
        longs = [opt for opt in param.opts if opt.startswith("--")]
        if len(longs) < 2:
            continue
        setattr(param, _HIDDEN, longs[1:])
        param.opts = [opt for opt in param.opts if opt not in longs[1:]]
        param.__class__ = _AliasedOption
    for sub in (getattr(command, "commands", None) or {}).values():
        hide_old_spellings(sub)
