"""Hand-made broken customers no generator produces, for fault campaigns and tests.

Each kind names the raw fields set on a clean customer (``Dataset.overwrite``) and what an
exporter must do with it: refuse it naming ``refused_on``, or export it (``refused_on`` None:
a bidi override is to be removed, a right-to-left mark kept, a shared e-mail on another
website is another contact).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.data.stores import STORE_GROUPS, WEBSITES


@dataclass(frozen=True)
class Crafted:
    """One way to break a record: the raw fields and the field a refusal must name."""

    fields: dict[str, Any]
    refused_on: str | None


CRAFTED: dict[str, Crafted] = {
    "addresses_null": Crafted({"addresses": None}, "addresses"),
    "numeric_firstname": Crafted({"firstname": 42}, "firstname"),
    "blank_firstname": Crafted({"firstname": " \u00a0 "}, "firstname"),
    "empty_lastname": Crafted({"lastname": ""}, "lastname"),
    "nul_in_lastname": Crafted({"lastname": "Mül\x00ler"}, "lastname"),
    "newline_in_firstname": Crafted({"firstname": "Jo\nAnn"}, "firstname"),
    "invalid_dob": Crafted({"dob": "1985-02-30"}, "dob"),
    "overlong_lastname": Crafted({"lastname": "Lang" * 75}, "lastname"),
    "html_firstname": Crafted({"firstname": "<b>Jo</b>"}, "firstname"),
    "bidi_override": Crafted({"firstname": "\u202eAnna\u202c"}, None),
    "rtl_mark": Crafted({"lastname": "\u05db\u05d4\u05df\u200f"}, None),
    # Filled in by ``crafted_fields``: a clean customer's e-mail, on another website.
    "shared_email_other_website": Crafted({}, None),
}
SHARED_EMAIL = "shared_email_other_website"


def crafted_fields(kind: str, partner: dict[str, Any]) -> dict[str, Any]:
    """The raw fields of ``kind``; ``partner`` is the customer whose e-mail may be shared."""
    if kind != SHARED_EMAIL:
        return dict(CRAFTED[kind].fields)
    website = next(w.id for w in WEBSITES[1:] if w.id != partner.get("website_id"))
    store = STORE_GROUPS[WEBSITES[website].default_group_id].default_store_id
    return {"email": partner["email"], "website_id": website, "store_id": store}
