"""People: names, prefixes and e-mail addresses, written by Faker's locale providers."""

from __future__ import annotations

import random
import threading
import unicodedata
from dataclasses import dataclass

from faker import Faker

from sandbox.data.seeding import pick_weighted

# Faker instances are costly to build and not thread-safe once seeded: one per locale and
# thread (the emulator serves in one thread while a test may generate in another).
_local = threading.local()

# Where shoppers of a store come from besides its own locale: names beyond ASCII.
_OTHER_NAME_LOCALES: tuple[tuple[str, int], ...] = (
    ("pl_PL", 4),
    ("zh_CN", 2),
    ("ar_AA", 2),
    ("cs_CZ", 1),
    ("es_ES", 1),
)
_OTHER_NAME_SHARE = 0.12

# Salutations in the three shop languages, by Magento gender option (1 male, 2 female).
_PREFIXES: dict[str, dict[int, tuple[str, ...]]] = {
    "en": {1: ("Mr.", "Dr."), 2: ("Mrs.", "Ms.", "Dr.")},
    "de": {1: ("Herr", "Herr Dr."), 2: ("Frau", "Frau Dr.")},
    "fr": {1: ("M.", "Dr"), 2: ("Mme", "Mlle", "Dr")},
}
_PREFIX_SHARE = 0.45


def faker_for(locale: str, seed: int) -> Faker:
    """This thread's Faker for ``locale``, reseeded so its output depends only on ``seed``."""
    cache: dict[str, Faker] | None = getattr(_local, "fakers", None)
    if cache is None:
        cache = _local.fakers = {}
    fake = cache.get(locale)
    if fake is None:
        # Uniform picks: frequency-weighted name lists cost ~70 µs a pick in English
        # locales, and generation is on the hot path of 100,000-customer benchmarks.
        fake = cache[locale] = Faker(locale, use_weighting=False)
    fake.seed_instance(seed)
    return fake


@dataclass(frozen=True)
class PersonName:
    prefix: str | None
    firstname: str
    middlename: str | None
    lastname: str


def name_locale(store_locale: str, rng: random.Random) -> str:
    """The locale a shopper's name comes from: mostly the store's, sometimes another."""
    if rng.random() < _OTHER_NAME_SHARE:
        return pick_weighted(rng.getrandbits(32), _OTHER_NAME_LOCALES)
    return store_locale


def person_name(fake: Faker, rng: random.Random, gender: int, language: str) -> PersonName:
    """A first and last name matching Magento's gender option, with an optional salutation."""
    sex = gender if gender in (1, 2) else rng.choice((1, 2))
    first = fake.first_name_male() if sex == 1 else fake.first_name_female()
    middle = None
    if language == "en" and rng.random() < 0.1:
        middle = str(fake.first_name_male() if sex == 1 else fake.first_name_female())
    prefix = None
    if gender in (1, 2) and rng.random() < _PREFIX_SHARE:
        prefix = rng.choice(_PREFIXES.get(language, _PREFIXES["en"])[gender])
    return PersonName(prefix, str(first), middle, str(fake.last_name()))


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in folded.lower() if c.isascii() and c.isalnum())


def email_address(name: PersonName, number: int, domain: str) -> str:
    """A unique-per-number e-mail such as ``jurgen.muller1234@example.de``."""
    first, last = _ascii_slug(name.firstname), _ascii_slug(name.lastname)
    local = f"{first}.{last}" if first and last else (first or last or "customer")
    return f"{local}{number}@{domain}"
