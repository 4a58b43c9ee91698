"""The ``plentysync`` command: argument parsing and formatting, nothing more.

``main`` builds the command tree (one module per group: ``clients``, ``sources``,
``schedules``, ``profiles``, ``customers``, ``runs``, ``history``, ``status``, ``config``,
``db``, ``secrets``, ``serve``, ``tui``, ``sandbox``/``demo``). Each command parses its
options (``options``, ``secret_input``), calls one function of ``core.services`` or the
deployment's ``start_run`` (``worker.deployment``), and prints the frozen values it gets
back (``tables``, ``readable``). ``exit_status`` keeps errors to one line and the exit codes
stable: 0 done, 1 failed, 2 usage, 3 some customers failed, 130 interrupted.
"""
