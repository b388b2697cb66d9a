"""The transit benchmark runs end to end on the demo feed (bus 300), so it cannot rot unnoticed."""

from __future__ import annotations

import bisect
import random
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.paths import DEMO, HELSINKI
from tripwise.bench.transit import first_service_day, main, read_feed, run
from tripwise.core.transit.feed import FeedData
from tripwise.core.transit.network import TransitNetwork, walking_seconds

DEMO_FEED = DEMO / "astana" / "gtfs"
HELSINKI_FEED = HELSINKI / "hsl-helsinki-gtfs-20220222.zip"


def test_the_bench_reads_the_demo_feed_without_django() -> None:
    feed = read_feed(DEMO_FEED)
    assert feed.timezone == "Asia/Almaty"
    assert {stop.stop_id for stop in feed.stops} == {"asia-park", "akmol-alzhir"}
    assert len(feed.trips) == 28
    assert first_service_day(feed) == date(2024, 1, 1)


def test_the_bench_reads_a_zip_too(tmp_path: Path) -> None:
    archive = tmp_path / "demo.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for file in DEMO_FEED.iterdir():
            packed.write(file, f"gtfs/{file.name}")  # some publishers pack a folder
    assert len(read_feed(archive).trips) == 28


def test_the_bench_runs_on_the_demo_feed(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(DEMO_FEED, queries=40, points=12, samples=8, seed=3)
    assert (result.stops, result.trips, result.journeys, result.points, result.samples) == (2, 28, 40, 12, 8)
    assert result.found > 0  # points near the two stops: some pairs ride the bus
    assert result.connections > 0
    median, p95, most = result.journey_ms
    assert 0 <= median <= p95 <= most

    assert main([str(DEMO_FEED), "--queries", "10", "--points", "6", "--samples", "4"]) == 0
    out, err = capsys.readouterr()
    assert "journey(): 10 queries" in out
    assert "connections(): 6 points x 4 departures" in out
    assert "building the network" in err  # progress goes to stderr


def test_a_missing_feed_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nothing.zip")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.fixture(scope="module")
def helsinki() -> FeedData:
    if not HELSINKI_FEED.exists():
        pytest.skip("the shared Helsinki data is not beside the checkout")
    return read_feed(HELSINKI_FEED)


@pytest.mark.slow
def test_helsinki_first_service_day(helsinki: FeedData) -> None:
    assert first_service_day(helsinki) == date(2022, 2, 22)
    assert len(helsinki.stops) == 1388 - 27  # stations (location_type 1) are not ridden to


@pytest.mark.slow
def test_on_helsinki_the_compiled_scan_agrees_with_raptor(helsinki: FeedData) -> None:
    day = date(2022, 2, 22)
    network = TransitNetwork.build(
        [helsinki], day=day, clock_origin=datetime.combine(day, time(0), tzinfo=ZoneInfo("Europe/Helsinki"))
    )
    rng = random.Random(7)
    stops = network.stops
    points = [
        (s.lat + rng.uniform(-0.003, 0.003), s.lon + rng.uniform(-0.005, 0.005))
        for s in rng.sample(stops, 24)
    ]
    departures = [7 * 3600 + 1800 * i for i in range(20)]
    table = network.connections(points, departures)
    walks = walking_seconds(points)
    compared = 0
    for _ in range(150):
        o, d = rng.sample(range(len(points)), 2)
        if walks[o][d] <= 900:
            continue
        leave = rng.choice(departures)
        options = table.get((o, d), ())
        first = bisect.bisect_left([c.depart for c in options], leave)
        walked = leave + walks[o][d]
        by_scan = min([c.arrive for c in options[first:]] + [walked])
        journey = network.journey(points[o], points[d], leave, max_rides=8)
        assert by_scan == min(journey.arrive if journey else walked, walked), (o, d, leave)
        compared += 1
    assert compared > 100
