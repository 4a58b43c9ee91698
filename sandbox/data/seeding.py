"""Stable 64-bit mixing, so every generated record is a pure function of (seed, index)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

_MASK = (1 << 64) - 1


def mix(*parts: int) -> int:
    """A well-spread 64-bit number for the given integers (splitmix64 finaliser per part).

    Python's ``hash()`` is not used: it is salted per process for strings, and we want the
    same customer in every process and on every machine.
    """
    state = 0x9E3779B97F4A7C15
    for part in parts:
        state = (state ^ (part & _MASK)) + 0x9E3779B97F4A7C15 & _MASK
        state = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
        state = (state ^ (state >> 27)) * 0x94D049BB133111EB & _MASK
        state ^= state >> 31
    return state


def fraction(value: int) -> float:
    """Map a 64-bit number onto [0, 1)."""
    return (value >> 11) / float(1 << 53)


def pick_weighted(value: int, table: tuple[tuple[T, int], ...]) -> T:
    """Choose from ``(choice, weight)`` pairs with the 64-bit number ``value``."""
    total = sum(weight for _, weight in table)
    point = value % total
    for choice, weight in table:
        if point < weight:
            return choice
        point -= weight
    raise AssertionError("unreachable: weights are positive")
