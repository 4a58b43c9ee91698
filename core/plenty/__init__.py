"""core/plenty."""
