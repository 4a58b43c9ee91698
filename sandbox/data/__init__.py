"""sandbox/data."""
