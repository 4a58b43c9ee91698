"""Salutations: a Magento prefix becomes a PlentyONE gender and, for academic titles, a title."""

from __future__ import annotations

from core.profiles.settings import CustomerSection, prefix_key

# Academic and professional titles that belong in the contact's title, not its gender.
ACADEMIC = frozenset(
    {
        "dr",
        "drmed",
        "drrernat",
        "dring",
        "prof",
        "profdr",
        "dipl",
        "diplom",
        "ing",
        "mag",
        "phd",
        "mba",
        "msc",
        "bsc",
        "ma",
        "ba",
    }
)

_GENDER_WORDS = {
    "male": "male",
    "man": "male",
    "mann": "male",
    "männlich": "male",
    "homme": "male",
    "masculin": "male",
    "female": "female",
    "woman": "female",
    "frau": "female",
    "weiblich": "female",
    "femme": "female",
    "féminin": "female",
    "diverse": "diverse",
    "divers": "diverse",
}


def split_prefix(prefix: str | None) -> tuple[str, str]:
    """``"Herr Dr."`` -> ``("Herr", "Dr.")``: the salutation and the academic title."""
    salutation: list[str] = []
    title: list[str] = []
    for token in (prefix or "").split():
        (title if prefix_key(token) in ACADEMIC else salutation).append(token)
    return " ".join(salutation), " ".join(title)


def gender_of(
    prefix: str | None,
    gender_option: int | None,
    section: CustomerSection,
    gender_labels: dict[int, str],
) -> str | None:
    """The mapped gender: the prefix mapping first, then Magento's gender attribute, else None.

    ``company`` is returned as such; the caller turns it into an account instead of a gender.
    """
    salutation, _ = split_prefix(prefix)
    if salutation:
        mapped = section.gender_for(salutation)
        if mapped:
            return mapped
    if gender_option is not None:
        label = gender_labels.get(gender_option, "")
        return _GENDER_WORDS.get(label.strip().casefold())
    return None
