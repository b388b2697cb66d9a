"""A provider's staff manage their departures: the weekly schedule, days that differ, a departure's seats,
and never in a way that silently drops travellers. Nobody else may touch them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User

from tests.experiences.helpers import ALMATY, TOUR, WALK, book, departure, experience, local, staff_of
from tripwise.core.errors import TripwiseError
from tripwise.experiences.models import Slot
from tripwise.experiences.provider import capacity_set, day_exception_set, schedule_set

pytestmark = pytest.mark.django_db

NOW = local(2026, 12, 1, 8, 0)  # a Tuesday morning in Astana


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def guide() -> User:
    return staff_of("astana-on-foot", "guide")


def starts(slug: str, first: date, last: date) -> list[datetime]:
    window = (
        datetime.combine(first, datetime.min.time(), ALMATY),
        datetime.combine(last + timedelta(days=1), datetime.min.time(), ALMATY),
    )
    return [
        slot.starts_at.astimezone(ALMATY)
        for slot in Slot.objects.filter(
            experience__slug=slug, starts_at__gte=window[0], starts_at__lt=window[1]
        )
    ]


def test_a_new_schedule_remakes_the_departures(guide: User) -> None:
    report = schedule_set(experience=experience(WALK), schedule="Tu-Su 11:00,15:00", by=guide)
    assert report.created > 0
    assert report.kept_with_travellers == 0
    # Two weeks from Wednesday: no Monday departures, two a day at the new times, none at the old ones.
    made = starts(WALK, date(2026, 12, 2), date(2026, 12, 15))
    assert Counter(moment.strftime("%a") for moment in made) == dict.fromkeys(
        ("Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), 4
    )
    assert {moment.strftime("%H:%M") for moment in made} == {"11:00", "15:00"}
    assert experience(WALK).schedule == "Tu-Su 11:00,15:00"
    # The horizon: departures are made 120 days ahead, not further.
    assert starts(WALK, date(2027, 3, 30), date(2027, 3, 30))
    assert not starts(WALK, date(2027, 3, 31), date(2027, 4, 10))


def test_a_departure_with_travellers_is_kept_when_the_schedule_drops_it(guide: User) -> None:
    monday = departure(WALK, local(2026, 12, 7, 10, 30))
    book(monday, adults=2, now=NOW)
    report = schedule_set(experience=experience(WALK), schedule="Tu-Su 11:00", by=guide)
    assert report.kept_with_travellers == 1
    assert Slot.objects.filter(pk=monday.pk).exists()
    assert starts(WALK, date(2026, 12, 7), date(2026, 12, 7)) == [local(2026, 12, 7, 10, 30)]


def test_a_schedule_that_does_not_parse_is_refused_with_a_reason(guide: User) -> None:
    before = Slot.objects.filter(experience__slug=WALK).count()
    schedule = experience(WALK).schedule
    for bad in ("", "every day at eleven", "Tu-Su 10:00-17:00"):
        with pytest.raises(TripwiseError) as caught:
            schedule_set(experience=experience(WALK), schedule=bad, by=guide)
        assert caught.value.code == "bad_schedule"
        assert caught.value.message
    assert experience(WALK).schedule == schedule
    assert Slot.objects.filter(experience__slug=WALK).count() == before


def test_no_departure_is_made_while_the_place_itself_is_closed() -> None:
    curator = staff_of("alzhir-museum", "curator")
    # The museum opens Tu-Su 10:00-17:00: a Monday tour and an evening tour would find it shut.
    schedule_set(experience=experience(TOUR), schedule="Mo-Su 11:00,18:00", by=curator)
    made = starts(TOUR, date(2026, 12, 2), date(2026, 12, 15))
    assert made
    assert {moment.strftime("%a") for moment in made} == {"Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    assert {moment.strftime("%H:%M") for moment in made} == {"11:00"}


def test_closing_a_day_with_travellers_is_refused(guide: User) -> None:
    slot = departure(WALK, local(2026, 12, 9, 16, 0))
    book(slot, adults=3, now=NOW)
    with pytest.raises(TripwiseError) as caught:
        day_exception_set(experience=experience(WALK), day=date(2026, 12, 9), by=guide, closed=True)
    assert caught.value.code == "day_has_travellers"
    assert caught.value.status == 409
    assert "3 seats are booked on Wednesday 09 December" in caught.value.message
    assert Slot.objects.filter(pk=slot.pk).exists()
    assert not experience(WALK).exceptions.exists()


def test_closing_an_empty_day_removes_its_departures(guide: User) -> None:
    departure(WALK, local(2026, 12, 10, 10, 30))
    departure(WALK, local(2026, 12, 10, 16, 0))
    closed = day_exception_set(
        experience=experience(WALK), day=date(2026, 12, 10), by=guide, closed=True, note="City marathon"
    )
    assert closed.closed
    assert starts(WALK, date(2026, 12, 10), date(2026, 12, 10)) == []
    assert len(starts(WALK, date(2026, 12, 11), date(2026, 12, 11))) == 2  # the next day is untouched


def test_extra_times_and_a_day_capacity_add_departures(guide: User) -> None:
    departure(WALK, local(2026, 12, 11, 10, 30))
    departure(WALK, local(2026, 12, 11, 16, 0))
    day_exception_set(
        experience=experience(WALK), day=date(2026, 12, 11), by=guide, times=["18:00"], capacity=6
    )
    day = Slot.objects.filter(
        experience__slug=WALK, starts_at__gte=local(2026, 12, 11), starts_at__lt=local(2026, 12, 12)
    )
    assert [(slot.starts_at.astimezone(ALMATY).strftime("%H:%M"), slot.capacity) for slot in day] == [
        ("10:30", 6),
        ("16:00", 6),
        ("18:00", 6),
    ]
    with pytest.raises(TripwiseError) as caught:
        day_exception_set(experience=experience(WALK), day=date(2026, 12, 11), by=guide, times=["6pm"])
    assert caught.value.code == "bad_time"


def test_capacity_never_goes_below_the_seats_taken(guide: User) -> None:
    slot = departure(WALK, local(2026, 12, 12, 10, 30))
    book(slot, adults=4, now=NOW)
    with pytest.raises(TripwiseError) as caught:
        capacity_set(slot=slot, capacity=3, by=guide)
    assert caught.value.code == "capacity_below_bookings"
    assert caught.value.status == 409
    assert "4 seats are already taken" in caught.value.message
    assert Slot.objects.get(pk=slot.pk).capacity == 15
    assert capacity_set(slot=slot, capacity=4, by=guide).capacity == 4
    assert capacity_set(slot=slot, capacity=20, by=guide).seats_left == 16


@pytest.mark.parametrize("who", ["bob", "other_provider", "anonymous", "nobody"])
def test_only_the_providers_staff_manage_its_departures(who: str, bob: User) -> None:
    user = {
        "bob": bob,
        "other_provider": staff_of("alzhir-museum", "curator"),
        "anonymous": AnonymousUser(),
        "nobody": None,
    }[who]
    status, code = (
        (401, "sign_in_required") if who in {"anonymous", "nobody"} else (403, "not_your_experience")
    )
    slot = departure(WALK, local(2026, 12, 12, 10, 30))
    walk = experience(WALK)
    schedule = walk.schedule
    attempts = [
        lambda: schedule_set(experience=walk, schedule="Tu-Su 11:00", by=user),
        lambda: day_exception_set(experience=walk, day=date(2026, 12, 12), by=user, closed=True),
        lambda: capacity_set(slot=slot, capacity=1, by=user),
    ]
    for attempt in attempts:
        with pytest.raises(TripwiseError) as caught:
            attempt()
        assert (caught.value.status, caught.value.code) == (status, code)
    assert experience(WALK).schedule == schedule
    assert Slot.objects.get(pk=slot.pk).capacity == 15
    assert not walk.exceptions.exists()


def test_a_superuser_may_manage_any_provider() -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "root-password")
    slot = departure(WALK, local(2026, 12, 12, 10, 30))
    assert capacity_set(slot=slot, capacity=5, by=admin).capacity == 5
