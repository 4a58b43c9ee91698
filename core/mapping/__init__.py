"""core/mapping."""
