"""An in-memory emulator of the PlentyONE REST API (contacts, addresses, accounts).

Start one in a test::

    from sandbox.plenty import SandboxConfig, RateLimits, create_app
    from sandbox.server import serve_in_thread

    app = create_app(SandboxConfig(limits=RateLimits.for_plan("basic", short_period_s=10)))
    with serve_in_thread(app) as server:
        ...  # server.base_url, e.g. http://127.0.0.1:54321; the API lives under /rest/

Defaults (``SandboxConfig()``): one user ``api-user`` / ``api-password``; tokens live
86400 s; at most 3 different users logged in at once; Classic plan budgets (200 reads and
80 writes per user per 60 s, 166000 reads and 48000 writes per system per day) in fixed
windows; no faults; one webstore with plentyId 12345; referrers 0, 1 and 4.01; contact
classes 1-3; contact types 1-6; the full plenty country table. ``create_app(config,
clock=...)`` takes a monotonic clock for token expiry and rate-limit periods; the app's
``Emulator`` is ``app.state.emulator``.

Switchable behaviours (``Modes``; defaults first): ``external_id_filter`` "string" |
"integer"; ``options_on_put`` "merge" | "replace"; ``email_writable`` False | True;
``strict_validation`` True | False; ``honour_check_for_existing_email`` True | False;
``relation_array`` "all_or_nothing" | "per_item" (a relation array with a bad item);
``itemsPerPage`` default 50, clamped at 250. Rate windows: ``RateLimits.window_mode``
"fixed" | "sliding". Faults (``Faults``): latency + jitter, a 5xx rate, a timeout rate whose
outcome mix (not applied / applied / applied late) is weighted and seeded; by default only
writes are hit (``include_reads``), and only calls under ``paths`` when it names some.

Wire behaviour the client can rely on: every metered answer carries
``X-Plenty-Global-{Short,Long}-Period-{Limit,Calls-Left,Decay}`` (and ``X-Plenty-Route-*``
on routes with a route limit); a spent budget answers 429 with ``Retry-After``,
``<prefix>-Calls-Reset`` (unix time) and ``{"error": {"message": "short period write limit
reached", "code": 429}}`` (login, logout and 401s carry no budget headers). Successful reads
and writes answer 200; DELETEs answer 200 with an empty body. An injected timeout hangs
``timeout_hang_s`` (default 5 s) and then answers 504 (not applied, or applied
``late_apply_s``, default 2 s, later) or the real answer (applied at once). Login refusals are
``401 {"error": "invalid_credentials", ...}`` and ``429 {"error":
"too_many_concurrent_sessions", ...}``; other errors use ``{"error": {"message", "code"}}``,
with ``validation_errors`` beside it on 422.

List filter matching: ``email`` exact and case-insensitive over the contact's e-mail
options; ``contactEmail``, ``name``, ``fullText``, ``town``, ``postalCode`` substring and
case-insensitive; ids, ``externalId`` and ``number`` exact; ``*After``/``*Before`` inclusive
(a bare date compares by day).

Controls under ``/_sandbox/`` (no budget, no faults; ``X-Sandbox-Token`` if configured):
``POST reset``; ``GET|POST config`` (partial JSON, e.g. ``{"modes": {"options_on_put":
"replace"}, "faults": {"error_rate": 0.1}, "limits": {"short_write": 5}}``); ``GET stats``;
``GET contacts`` (all, with options, addresses, accounts, orderCount); ``POST contacts``
(a JSON array of contact payloads created as ERP staff; answers ``{"ids": [...]}``); ``PATCH
contacts/{id}`` (``{"fields": {...}, "options": [...]}`` as ERP staff); ``POST
contacts/{id}/orders`` (``{"count": n}``); ``POST tokens/revoke`` (``{"user": ...}``
optional); ``POST tokens/expire``; ``POST rate-limits/burst`` (``{"count": n}``: the next n
API calls get 429).
"""

from sandbox.plenty.app import Emulator, create_app
from sandbox.plenty.config import (
    Faults,
    Modes,
    Plan,
    RateLimits,
    ReferenceData,
    SandboxConfig,
    TimeoutOutcomes,
    Webstore,
)

__all__ = [
    "Emulator",
    "Faults",
    "Modes",
    "Plan",
    "RateLimits",
    "ReferenceData",
    "SandboxConfig",
    "TimeoutOutcomes",
    "Webstore",
    "create_app",
]
