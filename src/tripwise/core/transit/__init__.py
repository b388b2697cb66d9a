"""GTFS service calendars and departure lookups, pure and time-zone aware."""
