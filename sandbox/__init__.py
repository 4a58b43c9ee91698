"""Emulators of the two APIs plentysync talks to, for demos, rehearsals and tests.

``plenty`` is a PlentyONE REST emulator (login, rate limits with their headers, contacts,
accounts, addresses, reference data, injectable faults); ``magento`` is a Magento 2 REST
emulator (OAuth and admin tokens, customer and order searches, store metadata, throttling);
``data`` generates their datasets and ``rehearsal`` loads a shop's own customer CSV exports.
``server`` runs either app on a loopback port in a thread. Nothing here imports plentysync's
other packages: the emulators are built to the APIs' documented behaviour, not to our client.
"""
