"""What a traveller sees near a point: nearest first, inside the radius, with departures that fit them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from tests.experiences.helpers import (
    COOKING,
    DAY_TRIP,
    MOSQUE,
    TOUR,
    WALK,
    departure,
    experience,
    local,
)
from tripwise.core.geo import distance_m
from tripwise.experiences.models import Experience, Slot
from tripwise.experiences.provider import slots_generate
from tripwise.experiences.selectors import DEFAULT_RADIUS_M, FIRST_CANDIDATES, experiences_near

pytestmark = pytest.mark.django_db

CENTRE = (51.1801, 71.44598)  # the demo destination's centre
NOW = local(2026, 12, 1, 8, 0)
DAY = date(2026, 12, 8)  # a Tuesday


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def slugs(found: list) -> list[str]:
    return [hit.experience.slug for hit in found]


def test_nearest_first_with_real_distances() -> None:
    found = experiences_near(lat=CENTRE[0], lon=CENTRE[1])
    distances = [hit.distance_m for hit in found]
    assert distances == sorted(distances)
    for hit in found:
        assert hit.distance_m == pytest.approx(distance_m(*CENTRE, hit.experience.lat, hit.experience.lon))
        assert hit.distance_m <= DEFAULT_RADIUS_M


def test_the_alzhir_tour_and_the_day_trip_show_near_the_centre() -> None:
    found = {hit.experience.slug: hit for hit in experiences_near(lat=CENTRE[0], lon=CENTRE[1])}
    assert {TOUR, DAY_TRIP, WALK, COOKING, MOSQUE} <= set(found)
    assert 30 < found[TOUR].distance_km < 45  # Akmol village, west of the city
    assert found[DAY_TRIP].distance_km < 10  # leaves from Asia Park


def test_from_a_point_the_nearest_is_the_one_that_starts_there() -> None:
    bayterek = experience(WALK).place
    found = experiences_near(lat=bayterek.lat, lon=bayterek.lon)
    assert slugs(found)[0] == WALK
    assert found[0].distance_m == pytest.approx(0, abs=1)
    assert slugs(found)[-1] == TOUR  # the farthest, 38 km out


def test_the_radius_leaves_out_what_is_farther() -> None:
    near = experiences_near(lat=CENTRE[0], lon=CENTRE[1], radius_m=15_000)
    assert TOUR not in slugs(near)
    assert {WALK, DAY_TRIP} <= set(slugs(near))
    museum = experience(TOUR)
    assert slugs(experiences_near(lat=museum.lat, lon=museum.lon, radius_m=1_000)) == [TOUR]
    assert experiences_near(lat=-33.9, lon=18.4) == []  # Cape Town: nothing


def test_language_price_and_party_filters() -> None:
    assert slugs(experiences_near(lat=CENTRE[0], lon=CENTRE[1], language="kk")) == [WALK]
    assert slugs(experiences_near(lat=CENTRE[0], lon=CENTRE[1], language="KK")) == [WALK]
    assert set(slugs(experiences_near(lat=CENTRE[0], lon=CENTRE[1], language="ru"))) == {
        WALK,
        DAY_TRIP,
        COOKING,
        MOSQUE,
    }
    cheap = experiences_near(lat=CENTRE[0], lon=CENTRE[1], max_price=Decimal("5000"))
    assert set(slugs(cheap)) == {MOSQUE, TOUR}
    assert all(hit.experience.price <= 5000 for hit in cheap)
    # The day trip takes at most 8 in one booking, the cooking class 6.
    nine = set(slugs(experiences_near(lat=CENTRE[0], lon=CENTRE[1], party=9)))
    assert nine == {WALK, MOSQUE, TOUR}


def test_the_date_filter_keeps_those_with_a_departure_that_day_with_room_for_the_party() -> None:
    first, last = local(2026, 12, 8), local(2026, 12, 9)
    Slot.objects.filter(starts_at__gte=first, starts_at__lt=last).delete()
    walk = departure(WALK, local(2026, 12, 8, 16, 0))
    almost_full = departure(MOSQUE, local(2026, 12, 8, 11, 0), capacity=12)
    Slot.objects.filter(pk=almost_full.pk).update(seats_taken=10)

    found = experiences_near(lat=CENTRE[0], lon=CENTRE[1], on=DAY)
    assert set(slugs(found)) == {WALK, MOSQUE}
    walk_hit = next(hit for hit in found if hit.experience.slug == WALK)
    assert [slot.pk for slot in walk_hit.next_slots] == [walk.pk]

    # Three people: the mosque tour's last two seats are not enough.
    assert slugs(experiences_near(lat=CENTRE[0], lon=CENTRE[1], on=DAY, party=3)) == [WALK]
    # A cancelled departure is no departure.
    Slot.objects.filter(pk=walk.pk).update(is_cancelled=True)
    assert slugs(experiences_near(lat=CENTRE[0], lon=CENTRE[1], on=DAY, party=3)) == []


def test_the_date_filter_looks_past_many_nearer_ones_without_a_departure_that_day() -> None:
    # Far from the demo: dozens of copies of the walk, the nearer ones without a departure on DAY.
    here = (10.0, 100.0)
    walk = experience(WALK)
    copies = []
    for number in range(FIRST_CANDIDATES * 3 + 10):
        copy = Experience.objects.get(pk=walk.pk)
        copy.pk, copy.slug = None, f"walk-copy-{number}"
        copy.lat, copy.lon = here[0] + 0.001 * (number + 1), here[1]  # 111 m apart, northwards
        copy.save()
        copies.append(copy)
    with_departures = {copies[-1].slug, copies[-5].slug}
    for copy in copies:
        if copy.slug in with_departures:
            Slot.objects.create(experience=copy, starts_at=local(2026, 12, 8, 10, 0), capacity=10)

    found = experiences_near(lat=here[0], lon=here[1], on=DAY, limit=3)

    assert slugs(found) == [copies[-5].slug, copies[-1].slug]  # nearest first, the rest have none that day
    assert [slot.starts_at for slot in found[0].next_slots] == [local(2026, 12, 8, 10, 0)]


def test_next_departures_are_future_ones_with_seats_soonest_first() -> None:
    Slot.objects.filter(experience__slug=WALK, starts_at__lt=NOW + timedelta(days=3)).delete()
    gone = departure(WALK, NOW - timedelta(hours=1))
    full = departure(WALK, NOW + timedelta(hours=2), capacity=3)
    Slot.objects.filter(pk=full.pk).update(seats_taken=3)
    soon = departure(WALK, NOW + timedelta(hours=3))
    (hit,) = [hit for hit in experiences_near(lat=CENTRE[0], lon=CENTRE[1]) if hit.experience.slug == WALK]
    ids = [slot.pk for slot in hit.next_slots]
    assert ids[0] == soon.pk
    assert gone.pk not in ids
    assert full.pk not in ids
    assert len(ids) <= 3
    starts = [slot.starts_at for slot in hit.next_slots]
    assert starts == sorted(starts)


def test_an_inactive_experience_is_not_shown() -> None:
    Experience.objects.filter(slug=WALK).update(is_active=False)
    assert WALK not in slugs(experiences_near(lat=CENTRE[0], lon=CENTRE[1]))
    bayterek = experience(WALK).place
    assert WALK not in slugs(experiences_near(lat=bayterek.lat, lon=bayterek.lon, radius_m=500))


def test_the_demo_day_trip_has_departures() -> None:
    """It meets at Asia Park at 09:30, before the mall opens: the meeting place's hours bind only its
    closed days, not the provider's start times."""
    report = slots_generate(experience=experience(DAY_TRIP), first=date(2026, 12, 1), days=14, now=NOW)
    # "Tu-Su 09:30": twelve departures in two weeks.
    assert (
        Slot.objects.filter(
            experience__slug=DAY_TRIP, starts_at__gte=local(2026, 12, 1), starts_at__lt=local(2026, 12, 15)
        ).count()
        == 12
    ), report
