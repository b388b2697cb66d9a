"""Where test data lives: the project's demo, and the read-only shared data beside the checkout."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "demo"
SHARED_DATA = REPO.parent / "shared" / "data"
HELSINKI = SHARED_DATA / "cities" / "helsinki"
