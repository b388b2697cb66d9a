"""Fixtures for the transit tests: make_feed writes the tiny feed of tiny_feed.py into a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.transit.tiny_feed import MakeFeed, tiny_feed_files


@pytest.fixture
def make_feed(tmp_path: Path) -> MakeFeed:
    """make_feed(**changes) writes the tiny feed to a new folder; a change replaces a file, None removes it.

    Keyword names use "__" for "." (stop_times__txt="...").
    """
    counter = iter(range(1000))

    def make(*, encoding: str = "utf-8", newline: str = "\n", **changes: str | None) -> Path:
        files = tiny_feed_files()
        files.update({name.replace("__", "."): text for name, text in changes.items()})
        folder = tmp_path / f"feed{next(counter)}"
        folder.mkdir()
        for name, text in files.items():
            if text is not None:
                (folder / name).write_bytes(text.replace("\n", newline).encode(encoding))
        return folder

    return make


@pytest.fixture(autouse=True)
def _count_from_zero(empty_world: None) -> None:
    """Import tests count rows: start each from an empty database rather than the demo."""
