"""plentysync's core: everything an export needs, importable without a worker, UI or emulator.

Packages, in the order an export meets them:

* ``settings``, ``secrets``, ``db`` - process settings, secrets at rest, the database;
* ``clients``, ``sources``, ``profiles``, ``schedules`` - what a sysadmin configures;
* ``magento`` and ``plenty`` - the two REST clients;
* ``mapping`` - pure functions from Magento records to PlentyONE drafts;
* ``export`` - the pipeline that resolves, sends and links each customer;
* ``tools`` and ``operations`` - the operator's tools and daily operations;
* ``services`` - every operation a front end offers, one call each returning frozen values
  (its package docstring is the map of operations to functions).

Smaller modules: ``errors`` (the error tree), ``states`` (every state kept as text, as a
``Literal``), ``backoff``, ``config_data`` (collected reference
data) and ``config_view`` (it read back as values), ``cursors`` (bookmarks), ``emails``,
``files`` (private files and directories), ``ticker`` (a call repeated from a thread while
work runs) and ``validation``. Front ends (``cli``, ``tui``) and ``worker`` build on these;
nothing here imports them.
"""

__all__ = [
    "backoff",
    "clients",
    "config_data",
    "config_view",
    "cursors",
    "db",
    "emails",
    "errors",
    "export",
    "files",
    "magento",
    "mapping",
    "operations",
    "plenty",
    "profiles",
    "schedules",
    "secrets",
    "services",
    "settings",
    "sources",
    "states",
    "ticker",
    "tools",
    "validation",
]
