"""Benchmarks of the engine on published instances (TOPTW: Solomon and Cordeau files).

`toptw` reads the standard files into an engine `Problem` with exact integer times, `runner` solves them with
the engine or with an OR-Tools baseline and has every answer re-verified by the independent checker, `cli`
is `tripwise bench toptw`, and `table` is `make bench`. Nothing here needs Django: only the pure core.
"""
