"""Load tests of bookings through real servers over real HTTP: the benchmark and the reliability tests.

- databases: fresh, cloned and dropped databases (PostgreSQL or a SQLite file), migrate, seed, the SQL audit.
- server: uvicorn in a process group of its own (free_port, Server, start_server).
- client: a small asyncio HTTP/1.1 client and the body of a booking.
- benchmark: confirmed bookings per second (`python -m tripwise.experiences.loadtest`); report: its Markdown;
  profiling: where one booking's time goes (cProfile, SQL statements counted).

The benchmark and tests/experiences/test_race.py share this machinery, so tests and figures exercise the same
set-up. Nothing here is imported by the app itself.
"""
