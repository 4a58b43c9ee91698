"""Operator tools: the commands a sysadmin reaches for when something looks wrong.

Each module is one tool with its own small public surface (see each ``__all__``):

* ``dryrun`` - what an export would send, customer by customer, without sending it;
* ``validate`` - the runnable check, a mapping lint against real customers, the ETA;
* ``connection`` - both systems reachable, credentials, rights, identity filter, strangers;
* ``link_tools`` - inspect, set and drop a customer's link; settle ambiguous matches;
* ``request_log`` - per-profile request/response logs (JSON lines, rotated, 0600);
* ``replace`` - the one destructive operation: delete our contacts and export afresh;
* ``replace_scope`` - which of the client's links a replace may touch: the profile's own;
* ``forget`` - erase what plentysync holds about one customer;
* ``estimate`` - how long a full export takes at the client's budget;
* ``session`` - the clients a tool works with, read-only when it must not write.

The package imports none of them here on purpose: ``core.export`` attaches the request log,
and the other tools build on ``core.export``, so eager imports would be circular.
"""

__all__ = [
    "connection",
    "dryrun",
    "estimate",
    "forget",
    "link_tools",
    "replace",
    "replace_scope",
    "request_log",
    "session",
    "validate",
]
