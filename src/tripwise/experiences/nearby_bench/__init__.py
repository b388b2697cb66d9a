"""The nearby search benchmark: `python -m tripwise.experiences.nearby_bench` (see __main__)."""
