"""`python -m tripwise.experiences.loadtest`: the bookings benchmark (see benchmark.py)."""

from tripwise.experiences.loadtest.benchmark import main

raise SystemExit(main())
