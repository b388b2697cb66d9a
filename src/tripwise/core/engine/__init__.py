"""The itinerary engine: one solver for the TOPTW benchmark and for real trips, and its independent checker."""
