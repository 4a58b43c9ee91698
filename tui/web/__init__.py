"""The TUI served to a browser: plentysync's page and the web server that spawns a tab's app.

``tui.web.server`` runs textual-serve with our own page template (``templates/``), which loads
nothing from outside the server: the terminal script, its stylesheet and the monospace font
come from textual-serve's bundled static files, served by the same server.
"""
