"""Self-written, deterministic demo data (never copied from ../shared)."""
