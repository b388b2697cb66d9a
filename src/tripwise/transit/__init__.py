"""Public transport: GTFS feeds imported into the database, and timetable look-ups over them."""
