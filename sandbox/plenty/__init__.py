"""sandbox/plenty."""
