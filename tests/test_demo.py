from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import DEMO
from tripwise.core.errors import TripwiseError
from tripwise.demo import demo_load
from tripwise.guides.models import Guide, GuideImage
from tripwise.places.models import Access, Place
from tripwise.transit.models import Trip

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Place, Guide, GuideImage, Access, Trip))


def test_the_demo_has_alzhir_and_twenty_more_places_with_hours() -> None:
    assert Place.objects.count() >= 21
    assert Place.objects.exclude(opening_hours="").count() >= 21
    alzhir = Place.objects.get(slug="alzhir-museum")
    assert alzhir.timezone == "Asia/Almaty"
    assert {access.mode for access in alzhir.access.all()} == {"transit", "car"}
    assert alzhir.access.get(mode="transit").route is not None


def test_loading_again_updates_and_does_not_duplicate() -> None:
    before = counts()
    demo_load(path=DEMO)
    assert counts() == before


def test_a_guide_with_a_missing_image_refuses_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "demo" / "town"
    (folder / "guides").mkdir(parents=True)
    (folder / "destination.json").write_text(
        '{"slug": "town", "name": "Town", "timezone": "Asia/Almaty", "lat": 51, "lon": 71}'
    )
    (folder / "places.json").write_text("[]")
    (folder / "guides" / "g.md").write_text(
        "---\nslug: g\ntitle: G\nimages:\n  - file: nope.svg\n    credit: x\n---\nText\n"
    )
    with pytest.raises(TripwiseError, match=r"nope\.svg does not exist"):
        demo_load(path=tmp_path / "demo")
    assert not Guide.objects.filter(slug="g").exists()
    assert not Place.objects.filter(destination__slug="town").exists()
