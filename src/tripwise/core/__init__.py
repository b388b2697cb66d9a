"""Pure Tripwise core: no Django, no settings, no I/O beyond what callers hand in."""
