"""The export pipeline: one customer's way from a Magento record to a linked PlentyONE contact.

``service.start_export`` checks the profile and creates the run (``runs``); ``service.open_deps``
opens both APIs (``connections``) into the ``ExportDeps`` every step takes (``deps``). The run's
keys are written into batches by ``enumerate`` (customer ids; ``enumerate_recent`` for the
most recently updated first), ``guests`` (guest keys) or, for
a queue drain, ``queue``; ``watch`` fills that queue from Magento's changes. Keys, identities
and cursors are built and parsed by ``identity`` only. Before a large run ``index`` reads
PlentyONE's contacts once. An executor (``executor``, ``inline``, or the workers) leases a batch
and hands it to ``batch.export_batch``, and then, per customer:

1. ``batch`` fetches the batch's records from Magento and ``entity.draft_customer`` maps each
   one (``core.mapping``) into ``plan.Drafts``, or an outcome when it is skipped or invalid;
2. ``resolve`` finds our contact: stored link, contact index, identity, then exact e-mail;
3. ``links.known_of`` reads what the link rows know of it (fingerprints last sent, address and
   account rows), and ``plan.plan_entity`` - pure - decides every write: the contact's create
   or update payload, the account's create/update/link, the address creates, updates and
   unlinks (the dry run, ``core.tools.dryrun``, prints this same plan);
4. ``entity`` applies it: takes a claim and creates the contact, or adopts it and sends the
   planned fields; ``parts`` sends the account's and the addresses' writes; ``links``, the one
   writer of link rows, commits the link or claim right after each call;
5. ``batch`` records the outcome once on the run (``results``): created, updated, unchanged,
   skipped, failed or conflict, with the reason and the time it took, and logs it as one line
   (``result_text``); "try later" comes back in the same batch, budget waits give it back.

``interleave`` puts the queue's due customers ahead of a full export's next batch, so a new
registration is not stuck behind a bulk load. ``guardrails`` pauses a run at a batch when too
many of its customers fail or it would create far more contacts than expected. ``owner``
records which process works an inline run, so a run whose process died can be resumed at
once. ``collect`` gathers the reference data (classes, referrers, countries, stores, address
attributes) profiles map to.
Modules are imported where used: ``__all__`` lists them.
"""

__all__ = [
    "batch",
    "collect",
    "connections",
    "deps",
    "entity",
    "enumerate",
    "enumerate_recent",
    "executor",
    "guardrails",
    "guests",
    "identity",
    "index",
    "inline",
    "interleave",
    "links",
    "owner",
    "parts",
    "plan",
    "queue",
    "resolve",
    "result_text",
    "results",
    "runs",
    "service",
    "watch",
]
