"""Customer export profiles: their settings, how they are stored, and whether one can run.

* ``settings`` - the sections of a profile as pydantic models (draft and runnable checks);
* ``address_fields`` - which Magento address fields may go to which PlentyONE field;
* ``service`` - create, load, edit and remove profiles, and move them as JSON documents;
* ``runnable`` - what a saved profile still lacks before it can run;
* ``schedule_refs`` - schedules named in exchanged documents, resolved to ids on import.

Modules are imported where used: ``__all__`` lists them.
"""

__all__ = [
    "address_fields",
    "referrer_change",
    "runnable",
    "schedule_refs",
    "service",
    "settings",
]
