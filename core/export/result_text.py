"""The one line per customer an export logs (``customer export -v``).

Every result is logged under ``RESULTS_LOGGER`` at INFO as it is recorded: the entity, the
action kept, the contact and the reason. ``core.operations.logfile`` turns it on at ``-v``.
"""

from __future__ import annotations

# The logger of one line per customer (``customer export -v``; see core.operations.logfile).
RESULTS_LOGGER = "plentysync.results"
