"""Customer ids as a person writes them: ``1-1000,1500`` read into the ids it names."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InputError

# A range this wide is a typo, not a selection: it would take minutes just to list.
MAX_RANGE = 10_000_000


@dataclass(frozen=True)
class EntityIds:
    """Distinct customer ids, ascending."""

    ids: tuple[int, ...]

    def keys(self) -> list[str]:
        """The ids as the entity keys the queue and the runs store."""
        return [str(i) for i in self.ids]

    def __len__(self) -> int:
        return len(self.ids)


def parse_entity_ids(text: str) -> EntityIds:
    """Every id in the lists and ranges of ``text``; an ``InputError`` says how to write them."""
    ids: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise InputError(f"{text!r}: write ids and ranges such as 1-1000,1500")
        first, last = int(low), int(high or low)
        if last < first or last - first > MAX_RANGE:
            raise InputError(f"{text!r}: the range {part} is not usable")
        ids.update(range(first, last + 1))
    if not ids:
        raise InputError(f"{text!r} names no customer")
    return EntityIds(tuple(sorted(ids)))
