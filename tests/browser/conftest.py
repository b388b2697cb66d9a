"""Browser tests drive Debian's Chromium through pytest-playwright (never a downloaded browser).

Without /usr/bin/chromium they skip, unless TRIPWISE_REQUIRE_BROWSER=1 (CI), where a missing browser fails.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# The page fixture runs an event loop; ORM calls made by the same test need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",  # the network is closed here: no update checks or pings
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(
    os.environ.get("TRIPWISE_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    reason = f"Chromium is not at {CHROMIUM}: run `make browser` (Debian's chromium package)"
    if os.environ.get("TRIPWISE_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"{reason}; TRIPWISE_REQUIRE_BROWSER=1 forbids skipping the browser tests.")
    for item in items:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
