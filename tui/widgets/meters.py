"""Text meters and sparklines that read in 16 colours and without any: a number goes with
every bar."""

from __future__ import annotations

BLOCKS = " ▁▂▃▄▅▆▇█"


def sparkline(values: tuple[int, ...] | list[int]) -> str:
    """One block character per value, scaled to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return "▁" * len(values)
    return "".join(BLOCKS[max(1, round(v / top * (len(BLOCKS) - 1)))] if v else "▁" for v in values)


def bar(used: int, limit: int, width: int = 6) -> str:
    """``▕███  ▏`` filled by the share of ``limit`` already used."""
    share = 0.0 if limit <= 0 else min(1.0, max(0.0, used / limit))
    filled = round(share * width)
    return "▕" + "█" * filled + " " * (width - filled) + "▏"


def compact(number: float) -> str:
    """``41k`` for 41,200; plain below a thousand."""
    if number >= 1_000_000:
        return f"{number / 1_000_000:.1f}M"
    if number >= 10_000:
        return f"{number / 1000:.0f}k"
    if number >= 1000:
        return f"{number / 1000:.1f}k"
    return f"{number:.0f}"


def duration(seconds: float | None) -> str:
    """``2 h 05 min``, ``4 min``, ``35 s``; ``-`` when unknown."""
    if seconds is None:
        return "-"
    seconds = max(0, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 90:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"
