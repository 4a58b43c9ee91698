"""Every operation a front end offers, as one blocking call that returns frozen values.

The command line and the TUI are argument parsing and formatting over these functions; none
of them prints, and none returns a database row. Errors come from ``core.errors``: an
``InputError`` for a value a person typed, ``FieldErrors`` (``path``, ``message`` each) for a
refused document, ``ConfigError`` for anything else the operator must fix. Profiles, clients
and sources are named by id or name (``ref``).

Operation -> function (module ``core.services.<module>``):

Runs and history (``runs``)
  list runs / history (one listing) ... ``list_runs(RunFilter(profile, status, trigger,
                                         error_class, limit)) -> list[RunSummary]``
  one run's summary ................... ``run_summary(run_id) -> RunSummary``
  one run's detail (history show) ..... ``run_detail(run_id, limit=200) -> RunDetail``
  a run's pace ........................ ``run_throughput(run_id) -> RunThroughput``
  cancel a run ........................ ``cancel_run(run_id) -> RunSummary``
  can it resume, and how .............. ``resumable(run_id) -> Resumability``
  remove old finished runs ............ ``clear_history(older_than) -> Cleared``
  (starting or resuming an export is the deployment's: ``worker.deployment``)

Queue (``queue``)
  counts per status, due now .......... ``queue_stats(profile) -> QueueStats``
  queued customers .................... ``queue_items(profile, status, limit) -> list[QueueEntry]``
  add / remove customers .............. ``add_to_queue(profile, ids) -> Queued``,
                                         ``remove_from_queue(profile, ids) -> int``
  retry failed (and count first) ...... ``retry_failed(profile, keys, error_class) -> int``,
                                         ``count_retryable(profile, keys, error_class) -> int``
  empty the queue ..................... ``clear_queue(profile) -> int``

Profiles (``profiles``)
  list / show ......................... ``list_profiles() -> list[ProfileSummary]``,
                                         ``show_profile(ref) -> ProfileDetail``
  create / edit / remove .............. ``create_profile(name, client, source, settings,
                                         changes) -> ProfileSaved``,
                                         ``edit_profile(ref, changes, name=) -> ProfileSaved``,
                                         ``remove_profile(ref) -> ProfileSummary``
  check a settings document ........... ``validate_settings(document) -> tuple[str, ...]``
  choices for a form .................. ``collected_choices(ref) -> ProfileChoices``,
                                         ``connection_choices(client, source)`` (before
                                         the profile exists), ``address_targets()``
  import an exchanged document ........ ``import_profile(document, replace=) -> ProfileSaved``
  pause / resume ...................... ``pause_profile(ref)``, ``resume_profile(ref)``
                                         ``-> ProfileSummary``
  schedule on / off ................... ``set_schedule_enabled(ref, on) -> ProfileSummary``

Collected configuration (``configuration``)
  collect from PlentyONE / Magento .... ``collect_config(client, source) -> list[Collected]``
  forget what was collected ........... ``forget_config(client, source) -> list[Forgotten]``
  add a referrer in PlentyONE ......... ``create_referrer(client, name, parent_id) -> Named``
  test a profile's connection ......... ``connection_checks(profile, scan_pages=, backends=)
                                         -> ConnectionChecks`` (reads only)
  (what a profile form may choose: ``profiles.collected_choices``)

Clients and sources (``connections``; views never hold a secret)
  list / show clients ................. ``list_clients() -> list[ClientView]``,
                                         ``show_client(ref) -> ClientView``
  create / edit / remove a client ..... ``create_client(name=, base_url=, username=, password=,
                                         settings=) -> ClientView``, ``edit_client(ref, ...)``,
                                         ``remove_client(ref) -> ClientView``
  list / show sources ................. ``list_sources() -> list[SourceView]``,
                                         ``show_source(ref) -> SourceView``
  secrets an auth mode needs .......... ``secrets_needed(auth_mode) -> tuple[str, ...]``
  create / edit / remove a source ..... ``create_source(name=, namespace=, base_url=,
                                         auth_mode=, secrets=, username=, settings=)``,
                                         ``edit_source(ref, ...)``, ``remove_source(ref)``
                                         ``-> SourceView``
  a client's settings as stored ....... ``client_settings(ref) -> ClientSettingsView``
                                         (explicit budgets apart from the plan's, for a form)
  test a client / a source ............ ``connection_checks.check_client(ref)``,
                                         ``check_source(ref) -> ConnectionCheck`` (one read)

Schedules (``schedules``)
  list / show ......................... ``list_schedules() -> list[ScheduleView]``,
                                         ``show_schedule(ref) -> ScheduleView``
  create / edit / remove .............. ``create_schedule(name=, cron=, timezone=)``,
                                         ``edit_schedule(ref, cron=, timezone=)``,
                                         ``remove_schedule(ref)`` ``-> ScheduleView``
  when a cron fires next .............. ``next_fire_times(cron, timezone, count, now)
                                         -> tuple[datetime, ...]`` (``FieldErrors`` if bad)

Ids and status
  read "1-5,9" ........................ ``ids.parse_entity_ids(text) -> EntityIds``
  service status ...................... ``status.status(workers=, budget_reader=, mode=)
                                         -> Status`` (deployment facts passed in), or
                                         ``status.typed_status(collected) -> Status`` for a
                                         status the worker's watchdog collected

Customers (``customers``)
  one customer by id or e-mail ........ ``look_up_customer(ref, query) -> CustomerLookup``
                                         (link, addresses, last export, owned fields)
  what the next export would send ..... ``live_diff(ref, query) -> LiveDiff`` (reads PlentyONE)
  conflicts and their candidates ...... ``customer_conflicts(ref) -> tuple[ConflictView, ...]``,
                                         ``conflict_candidates(ref, customer_id) -> Candidates``
  choose, link, unlink ................ ``resolve_customer_conflict(ref, customer_id,
                                         contact_id)``, ``link_to_contact(...)``,
                                         ``unlink(ref, customer_id, clear_identity=)`` ``-> str``

What the TUI reads beside them
  the dashboard ....................... ``dashboard.build_dashboard(status, now) -> Dashboard``
                                         (a row per profile, sparklines, budget meters)
  why it is (not) running ............. ``explain.explain(ref, mode=, workers_alive=, now=)``
  one run as it moves ................. ``progress.run_progress(run_id, now) -> RunProgress``
                                         (counts, speed, ETA now and at the budget limit)
  one profile's queue screen .......... ``queue_board.queue_board(ref, limit) -> QueueBoard``
                                         (counts, failures per class, failed items first)
"""

__all__ = [
    "configuration",
    "connection_checks",
    "connections",
    "customers",
    "dashboard",
    "explain",
    "ids",
    "profiles",
    "progress",
    "queue",
    "queue_board",
    "runs",
    "schedules",
    "status",
]
