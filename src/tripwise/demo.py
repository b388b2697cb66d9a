"""Load the demo destination (data/demo/<destination>/) into the database, in one transaction.

Each destination folder holds destination.json, places.json, guides/*.md (front matter + markdown),
images/, gtfs/ and experiences.json (providers and what they offer). Loading is idempotent: running it again updates what exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from tripwise.core.errors import TripwiseError
from tripwise.experiences.provider import experience_upsert, provider_upsert
from tripwise.guides.services import guide_upsert, guides_reindex
from tripwise.places.services import destination_upsert, place_access_set, place_upsert
from tripwise.transit.services import feed_import


def read_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """Split a guide file into its YAML front matter and its markdown body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        raise TripwiseError("bad_guide_file", f"{path} must start with a '---' front matter block.")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    if not isinstance(meta, dict) or not {"slug", "title"} <= meta.keys():
        raise TripwiseError("bad_guide_file", f"{path}: the front matter needs at least slug and title.")
    return meta, body.strip() + "\n"


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TripwiseError("bad_demo_file", f"Cannot read {path}: {exc}.") from exc


@transaction.atomic
def destination_folder_load(folder: Path, progress: Callable[[str], None]) -> str:
    destination = destination_upsert(data=_load_json(folder / "destination.json"))
    lines = [f"{destination.name}:"]
    if (folder / "gtfs").is_dir():
        report = feed_import(
            path=folder / "gtfs", destination_name=destination.slug, feed_name="demo", progress=progress
        )
        counts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
        lines.append(f"  transit feed: {counts}")
    places = _load_json(folder / "places.json")
    for data in places:
        place = place_upsert(destination=destination, data=data)
        place_access_set(place=place, options=data.get("getting_there", []))
    lines.append(f"  places: {len(places)}")
    progress(f"{destination.name}: {len(places)} places")
    guides = sorted((folder / "guides").glob("*.md"))
    for path in guides:
        meta, body = read_front_matter(path)
        guide_upsert(destination=destination, data=meta, body=body, image_folder=folder / "images")
    guides_reindex(destination=destination)
    lines.append(f"  guides: {len(guides)}")
    progress(f"{destination.name}: {len(guides)} guides")
    if (folder / "experiences.json").is_file():
        offer = _load_json(folder / "experiences.json")
        for data in offer.get("providers", []):
            provider_upsert(data=data)
        for data in offer.get("experiences", []):
            experience_upsert(destination=destination, data=data)
        lines.append(f"  experiences: {len(offer.get('experiences', []))}")
        progress(f"{destination.name}: {len(offer.get('experiences', []))} experiences")
    return "\n".join(lines)


def demo_load(*, path: Path, progress: Callable[[str], None] = lambda message: None) -> str:
    folders = sorted(p for p in path.iterdir() if (p / "destination.json").is_file()) if path.is_dir() else []
    if not folders:
        raise TripwiseError("no_demo", f"No destination folder with destination.json under {path}.")
    with transaction.atomic():
        return "\n".join(destination_folder_load(folder, progress) for folder in folders)
