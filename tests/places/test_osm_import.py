"""The OpenStreetMap import: which objects become places, where they are put, and what is skipped and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opening_hours
import pytest

from tests.paths import HELSINKI
from tripwise.core.errors import TripwiseError
from tripwise.places import osm_import, osm_tags
from tripwise.places.models import Destination, Place
from tripwise.places.osm_import import places_import_osm

HELSINKI_PBF = HELSINKI / "helsinki-centre.osm.pbf"

# A few blocks of central Helsinki. Ways and relations must follow the nodes they use (OSM file order).
SMALL_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="tripwise-test">
  <node id="1" version="1" lat="60.1700" lon="24.9400">
    <tag k="tourism" v="museum"/>
    <tag k="name" v="Testimuseo"/>
    <tag k="name:en" v="Test Museum"/>
    <tag k="name:ru" v="Тестовый музей"/>
    <tag k="name:etymology:wikidata" v="Q1"/>
    <tag k="opening_hours" v="Tu-Su 10:00-18:00"/>
  </node>
  <node id="2" version="1" lat="60.1680" lon="24.9450">
    <tag k="amenity" v="restaurant"/>
    <tag k="name" v="Ravintola Testi"/>
    <tag k="cuisine" v="finnish;seafood"/>
    <tag k="opening_hours" v="sometimes, ask the owner"/>
  </node>
  <node id="3" version="1" lat="60.1690" lon="24.9410"><tag k="amenity" v="bench"/></node>
  <node id="4" version="1" lat="60.1691" lon="24.9411">
    <tag k="tourism" v="hotel"/><tag k="name" v="Hotel Testi"/>
  </node>
  <node id="5" version="1" lat="60.1692" lon="24.9412"><tag k="tourism" v="viewpoint"/></node>
  <node id="101" version="1" lat="60.1710" lon="24.9500"/>
  <node id="102" version="1" lat="60.1710" lon="24.9520"/>
  <node id="103" version="1" lat="60.1720" lon="24.9520"/>
  <node id="104" version="1" lat="60.1720" lon="24.9500"/>
  <node id="201" version="1" lat="60.1600" lon="24.9300"/>
  <node id="202" version="1" lat="60.1600" lon="24.9340"/>
  <node id="203" version="1" lat="60.1620" lon="24.9340"/>
  <node id="204" version="1" lat="60.1620" lon="24.9300"/>
  <node id="211" version="1" lat="60.1602" lon="24.9302"/>
  <node id="212" version="1" lat="60.1602" lon="24.9318"/>
  <node id="213" version="1" lat="60.1618" lon="24.9318"/>
  <node id="214" version="1" lat="60.1618" lon="24.9302"/>
  <way id="10" version="1">
    <nd ref="101"/><nd ref="102"/><nd ref="103"/><nd ref="104"/><nd ref="101"/>
    <tag k="tourism" v="attraction"/>
    <tag k="building" v="yes"/>
    <tag k="name" v="Vanha kauppahalli"/>
    <tag k="alt_name" v="Old Market Hall;Kauppahalli"/>
  </way>
  <way id="11" version="1">
    <nd ref="201"/><nd ref="202"/><nd ref="203"/><nd ref="204"/><nd ref="201"/>
  </way>
  <way id="12" version="1">
    <nd ref="211"/><nd ref="212"/><nd ref="213"/><nd ref="214"/><nd ref="211"/>
  </way>
  <way id="13" version="1">
    <nd ref="999998"/><nd ref="999999"/>
    <tag k="tourism" v="museum"/><tag k="name" v="Museo reunan takana"/>
  </way>
  <relation id="20" version="1">
    <member type="way" ref="11" role="outer"/>
    <member type="way" ref="12" role="inner"/>
    <tag k="type" v="multipolygon"/>
    <tag k="historic" v="castle"/>
    <tag k="name" v="Testilinna"/>
  </relation>
</osm>
"""

# The castle is a 0.004° x 0.002° rectangle with a 0.0016° square hole in its western half: the hole
# pulls the centre east of the rectangle's middle (24.9320) to 24.932 + 0.001 * 2.56 / 5.44.
CASTLE_LON = 24.932 + 0.001 * 2.56 / (8 - 2.56)


@pytest.fixture(autouse=True)
def _count_from_zero(empty_world: None) -> None:
    """These tests count places and destinations: start each from an empty database rather than the demo."""


@pytest.fixture
def small_osm(tmp_path: Path) -> Path:
    path = tmp_path / "helsinki-test.osm"
    path.write_text(SMALL_OSM, encoding="utf-8")
    return path


def _import(path: Path, messages: list[str] | None = None) -> osm_import.OsmImportReport:
    sink = messages if messages is not None else []
    return places_import_osm(path=path, destination_name="Helsinki", progress=sink.append)


@pytest.mark.django_db
def test_imports_nodes_ways_and_relations_at_their_centres(small_osm: Path) -> None:
    messages: list[str] = []
    report = _import(small_osm, messages)

    places = {place.osm_ref: place for place in Place.objects.all()}
    assert sorted(places) == ["node/1", "node/2", "relation/20", "way/10"]
    expected = {
        "node/1": ("Testimuseo", "museum", 60.1700, 24.9400),
        "node/2": ("Ravintola Testi", "restaurant", 60.1680, 24.9450),
        "way/10": ("Vanha kauppahalli", "attraction", 60.1715, 24.9510),
        "relation/20": ("Testilinna", "landmark", 60.1610, CASTLE_LON),
    }
    for ref, (name, kind, lat, lon) in expected.items():
        place = places[ref]
        assert (place.name, place.kind) == (name, kind)
        assert place.lat == pytest.approx(lat, abs=1e-4)
        assert place.lon == pytest.approx(lon, abs=1e-4)
        assert place.timezone == "Europe/Helsinki"
        assert place.visit_minutes == osm_tags.VISIT_MINUTES[Place.Kind(kind)]
        assert place.assumed_fields == ["visit_minutes"]
        assert f"https://www.openstreetmap.org/{ref}" in place.source
        assert place.search_text  # indexed for search
    assert places["relation/20"].lon == pytest.approx(CASTLE_LON, abs=1e-6)

    assert report.created == {"museum": 1, "restaurant": 1, "attraction": 1, "landmark": 1}
    assert report.updated == {}
    assert (report.from_ways, report.from_relations) == (1, 1)
    assert (report.nodes_read, report.ways_read, report.relations_read) == (17, 4, 1)
    assert messages[0].startswith("Reading ")
    assert any(message.startswith("Writing 4 places") for message in messages)


@pytest.mark.django_db
def test_names_tags_and_hours(small_osm: Path) -> None:
    report = _import(small_osm)

    museum = Place.objects.get(osm_ref="node/1")
    assert museum.opening_hours == "Tu-Su 10:00-18:00"
    assert museum.aliases == ["Test Museum", "Тестовый музей"]  # name stays `name`; not name:etymology:*
    assert "culture" in museum.tags

    restaurant = Place.objects.get(osm_ref="node/2")
    assert restaurant.opening_hours == ""  # not understood: kept blank (unknown), the place imported
    assert "'sometimes, ask the owner' could not be read" in restaurant.source  # the tag is kept
    assert restaurant.source.startswith("OpenStreetMap (© OpenStreetMap contributors, ODbL)")
    assert {"restaurant", "finnish", "seafood", "food"} <= set(restaurant.tags)
    assert report.bad_opening_hours == 1
    [(ref, name, tag, reason)] = report.hours_unread
    assert (ref, name, tag) == ("node/2", "Ravintola Testi", "sometimes, ask the owner")
    assert reason.startswith("at character ")
    text = report.as_text()
    assert "1 place has opening_hours that could not be read; kept as unknown:" in text
    assert f"  Ravintola Testi (node/2): 'sometimes, ask the owner' ({reason})" in text
    assert "not be read" not in museum.source

    hall = Place.objects.get(osm_ref="way/10")
    assert hall.aliases == ["Old Market Hall", "Kauppahalli"]


@pytest.mark.django_db
def test_building_outline_that_is_also_an_area_gives_one_place(small_osm: Path) -> None:
    _import(small_osm)

    assert Place.objects.filter(name="Vanha kauppahalli").count() == 1


@pytest.mark.django_db
def test_skipped_objects_are_counted_with_their_reason(small_osm: Path) -> None:
    report = _import(small_osm)

    assert report.skipped == {
        osm_import.NOT_VISITOR: 2,  # the bench and the hotel
        osm_import.NO_NAME: 1,  # the viewpoint without a name
        osm_import.NO_LOCATION: 1,  # way 13: its nodes are outside the extract
    }
    assert report.not_visitor_tags == {"amenity=bench": 1, "tourism=hotel": 1}
    text = report.as_text()
    assert "not a place travellers visit" in text
    assert "amenity=bench 1" in text
    assert not Place.objects.filter(name__in=["Hotel Testi", "Museo reunan takana"]).exists()


@pytest.mark.django_db
def test_destination_is_created_with_the_zone_at_the_places(small_osm: Path) -> None:
    report = _import(small_osm)

    destination = Destination.objects.get()
    assert destination.name == "Helsinki"
    assert destination.timezone == "Europe/Helsinki"
    # The centre of the places' bounding box: castle (south-west) to market hall (north-east).
    assert destination.lat == pytest.approx((60.1610 + 60.1715) / 2, abs=1e-4)
    assert destination.lon == pytest.approx((CASTLE_LON + 24.9510) / 2, abs=1e-4)
    assert report.destination_created
    assert "Helsinki (new destination, Europe/Helsinki)" in report.as_text()


@pytest.mark.django_db
def test_reimport_updates_places_instead_of_duplicating(small_osm: Path) -> None:
    _import(small_osm)
    slugs = dict(Place.objects.values_list("osm_ref", "slug"))
    Place.objects.filter(osm_ref="node/1").update(summary="Written by an editor.")
    small_osm.write_text(SMALL_OSM.replace('v="Testimuseo"', 'v="Testimuseo (uusi)"'), encoding="utf-8")

    report = _import(small_osm)

    assert Place.objects.count() == 4
    assert Destination.objects.count() == 1
    assert dict(Place.objects.values_list("osm_ref", "slug")) == slugs  # links keep working
    museum = Place.objects.get(osm_ref="node/1")
    assert museum.name == "Testimuseo (uusi)"
    assert museum.summary == "Written by an editor."
    assert report.created == {}
    assert report.updated == {"museum": 1, "restaurant": 1, "attraction": 1, "landmark": 1}
    assert not report.destination_created


@pytest.mark.django_db
def test_same_name_nearby_is_one_place(tmp_path: Path) -> None:
    # A museum mapped twice, as a point and as its building, is one place: the copy with hours is kept.
    path = tmp_path / "twice.osm"
    text = SMALL_OSM.replace('<tag k="tourism" v="attraction"/>', '<tag k="tourism" v="museum"/>')
    text = text.replace('v="Vanha kauppahalli"', 'v="Testimuseo"')
    # The museum node moves inside the outline (60.1710..60.1720, 24.9500..24.9520).
    text = text.replace('lat="60.1700" lon="24.9400"', 'lat="60.1714" lon="24.9509"')
    path.write_text(
        text,
        encoding="utf-8",
    )

    report = _import(path)

    assert list(Place.objects.filter(name="Testimuseo").values_list("osm_ref", flat=True)) == ["node/1"]
    assert report.skipped[osm_import.DUPLICATE] == 1
    assert Place.objects.get(name="Testimuseo").opening_hours == "Tu-Su 10:00-18:00"


@pytest.mark.django_db
def test_missing_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.osm.pbf"

    with pytest.raises(TripwiseError) as caught:
        _import(missing)

    assert caught.value.code == "osm_file_missing"
    assert str(missing) in caught.value.message
    assert ".osm.pbf" in caught.value.message
    assert not Destination.objects.exists()
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_corrupt_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"\x00\x00\x00\x0dthis is not a PBF file at all")

    with pytest.raises(TripwiseError) as caught:
        _import(broken)

    assert caught.value.code == "osm_file_unreadable"
    assert "broken.osm.pbf" in caught.value.message
    assert not Destination.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_failure_while_writing_leaves_nothing_behind(
    small_osm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def failing_reindex(place: Place) -> None:
        calls.append(place)
        if len(calls) == 3:
            raise TripwiseError("boom", "disk full")
        place.save(update_fields=["search_text"])

    monkeypatch.setattr(osm_import, "place_reindex", failing_reindex)

    with pytest.raises(TripwiseError, match="disk full"):
        _import(small_osm)

    assert not Destination.objects.exists()
    assert not Place.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_real_helsinki_extract() -> None:
    if not HELSINKI_PBF.is_file():
        pytest.skip(f"the Helsinki extract is not at {HELSINKI_PBF}")

    report = _import(HELSINKI_PBF)

    total = Place.objects.count()
    assert 300 <= total <= 1500, report.as_text()
    assert report.created_total == total
    assert Place.objects.filter(kind="museum", name="Ateneum").exists()
    assert Place.objects.filter(kind="museum").count() >= 5
    assert Place.objects.filter(osm_ref__startswith="way/").exists()
    assert Place.objects.filter(osm_ref__startswith="relation/").exists()
    assert report.from_ways > 0
    assert report.from_relations > 0
    assert set(Place.objects.values_list("timezone", flat=True)) == {"Europe/Helsinki"}
    assert Destination.objects.get().timezone == "Europe/Helsinki"
    for lat, lon in Place.objects.values_list("lat", "lon"):
        assert 60.15 < lat < 60.19
        assert 24.92 < lon < 24.97
    print(report.as_text())  # shown with -s: the figures the report quotes


# Hours the library cannot read, or reads only in part, and the interest words travellers type.
WORDS_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="tripwise-test">
  <node id="1" version="1" lat="60.1700" lon="24.9400">
    <tag k="tourism" v="museum"/><tag k="museum" v="art"/><tag k="name" v="Taidemuseo"/>
    <tag k="opening_hours" v="Mo-Fr 08:00"/>
  </node>
  <node id="2" version="1" lat="60.1701" lon="24.9401">
    <tag k="amenity" v="cafe"/><tag k="name" v="Kahvila"/>
    <tag k="opening_hours" v="Mo-Fr 09:00-12:00 / 14:00-17:00"/>
  </node>
  <node id="3" version="1" lat="60.1702" lon="24.9402">
    <tag k="amenity" v="bar"/><tag k="name" v="Baari"/>
    <tag k="opening_hours" v="Mo-Su 18:00+"/>
  </node>
  <node id="4" version="1" lat="60.1703" lon="24.9403">
    <tag k="tourism" v="museum"/><tag k="museum" v="children"/><tag k="name" v="Lastenmuseo"/>
    <tag k="opening_hours" v="Tu-Su 10:00-17:00 boom"/>
  </node>
  <node id="5" version="1" lat="60.1704" lon="24.9404">
    <tag k="leisure" v="park"/><tag k="name" v="Puisto"/><tag k="opening_hours" v="sunrise-sunset"/>
  </node>
  <node id="6" version="1" lat="60.1705" lon="24.9405">
    <tag k="amenity" v="place_of_worship"/><tag k="religion" v="christian"/><tag k="name" v="Kirkko"/>
    <tag k="heritage" v="2"/>
  </node>
  <node id="7" version="1" lat="60.1706" lon="24.9406">
    <tag k="tourism" v="viewpoint"/><tag k="name" v="Näköala"/>
  </node>
  <node id="8" version="1" lat="60.1707" lon="24.9407">
    <tag k="shop" v="mall"/><tag k="name" v="Kauppakeskus"/>
  </node>
  <node id="9" version="1" lat="60.1708" lon="24.9408">
    <tag k="tourism" v="zoo"/><tag k="name" v="Eläintarha"/>
  </node>
  <node id="10" version="1" lat="60.1709" lon="24.9409">
    <tag k="historic" v="castle"/><tag k="name" v="Linna"/>
  </node>
  <node id="11" version="1" lat="60.1710" lon="24.9410">
    <tag k="amenity" v="marketplace"/><tag k="name" v="Tori"/>
  </node>
  <node id="12" version="1" lat="60.1711" lon="24.9411">
    <tag k="leisure" v="playground"/><tag k="name" v="Leikkipuisto"/>
  </node>
  <node id="13" version="1" lat="60.1712" lon="24.9412"><tag k="leisure" v="playground"/></node>
  <node id="14" version="1" lat="60.1713" lon="24.9413">
    <tag k="shop" v="art"/><tag k="name" v="Taidekauppa"/>
  </node>
</osm>
"""


@pytest.fixture
def words_osm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # "boom" stands for a value on which the library fails in some other way than a syntax error (a Rust
    # panic reaches Python as pyo3's PanicException, a BaseException).
    real = opening_hours.OpeningHours

    class Panic(BaseException):
        pass

    def flaky(value: str, **kwargs: Any) -> Any:
        if "boom" in value:
            raise Panic("called `Option::unwrap()` on a `None` value")
        return real(value, **kwargs)

    monkeypatch.setattr(opening_hours, "OpeningHours", flaky)
    path = tmp_path / "words.osm"
    path.write_text(WORDS_OSM, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_unreadable_hours_never_stop_the_import(words_osm: Path) -> None:
    report = _import(words_osm)

    assert report.created_total == 13  # every named place, whatever its hours
    unread = {ref: (tag, reason) for ref, _name, tag, reason in report.hours_unread}
    assert set(unread) == {"node/1", "node/2", "node/4"}
    assert unread["node/1"] == ("Mo-Fr 08:00", "at character 12: expected timespan_plus")
    assert unread["node/4"][1].startswith("Panic: called `Option::unwrap()`")
    for ref in unread:
        place = Place.objects.get(osm_ref=ref)
        assert place.opening_hours == ""
        assert repr(unread[ref][0]) in place.source
    text = report.as_text()
    assert "3 places have opening_hours that could not be read; kept as unknown:" in text
    assert "  Taidemuseo (node/1): 'Mo-Fr 08:00' (at character 12: expected timespan_plus)" in text

    # Read, but with days the planner must treat as unknown: an open end and sun times.
    partly = {ref: warning for ref, _name, warning in report.hours_partly_unknown}
    assert set(partly) == {"node/3", "node/5"}
    assert "give no closing time" in partly["node/3"]
    assert "sunrise, sunset" in partly["node/5"]
    assert Place.objects.get(osm_ref="node/3").opening_hours == "Mo-Su 18:00+"
    assert "2 places have opening_hours that leave some days unknown (planned as unknown):" in text


@pytest.mark.django_db
def test_interest_words_cover_what_travellers_ask_for(words_osm: Path) -> None:
    _import(words_osm)

    def words(ref: str) -> set[str]:
        return set(Place.objects.get(osm_ref=ref).tags)

    assert {"art", "museum", "culture"} <= words("node/1")
    assert {"food", "coffee"} <= words("node/2")
    assert {"kids", "family", "museum"} <= words("node/4")
    assert {"nature", "park", "parks"} <= words("node/5")
    assert {"religion", "architecture", "christian", "history"} <= words("node/6")
    assert {"viewpoint", "views"} <= words("node/7")
    assert {"shopping", "mall"} <= words("node/8")
    assert {"zoo", "kids", "family", "nature"} <= words("node/9")
    assert {"history", "castle", "architecture"} <= words("node/10")
    assert {"food", "shopping", "marketplace"} <= words("node/11")
    assert {"kids", "family", "playground"} <= words("node/12")
    assert {"art", "shopping"} <= words("node/14")


def test_a_new_destination_takes_its_country_and_money_from_its_zone(db: None) -> None:
    from tripwise.places.services import destination_get_or_create

    helsinki, created = destination_get_or_create(name="Tampere", timezone="Europe/Helsinki")
    assert created
    assert (helsinki.country, helsinki.currency) == ("FI", "EUR")
    nowhere, _ = destination_get_or_create(name="Null Island", timezone="Etc/UTC")
    assert (nowhere.country, nowhere.currency) == ("", "USD")  # no country: the default visitor currency
