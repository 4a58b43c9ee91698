"""Rehearsing on a merchant's own customers: Magento's CSV exports into the Magento sandbox.

The flow: ``reading`` decodes one export (``text``: encodings) and drops the secret
columns (``columns``); ``importing`` joins the "Customers Main File" and "Customer
Addresses" rows on e-mail and website, turning each row into Magento's JSON (``records``)
and collecting the shop's websites, store views and groups (``layout``); ``storage`` keeps
the result in a private file and purges it. ``sandbox.magento.create_app(imported=shop)``
serves it.

Customer and address ids are assigned on import: they exist only in the rehearsal.
"""

from sandbox.rehearsal.importing import RehearsalImport, import_exports
from sandbox.rehearsal.reading import Problem
from sandbox.rehearsal.storage import (
    SHOP_FILE,
    load_rehearsal,
    purge_rehearsal,
    read_manifest,
    save_rehearsal,
)

__all__ = [
    "SHOP_FILE",
    "Problem",
    "RehearsalImport",
    "import_exports",
    "load_rehearsal",
    "purge_rehearsal",
    "read_manifest",
    "save_rehearsal",
]
