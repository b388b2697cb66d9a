"""Cancellation: a traveller should know what comes back before pressing the button."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tripwise.core.errors import TripwiseError
from tripwise.core.experiences import CancellationPolicy, Refund, describe_policy, refund_for

ALMATY = ZoneInfo("Asia/Almaty")
HELSINKI = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 12, 2, 11, 0, tzinfo=ALMATY)
PAID = Decimal("12000.00")


def test_full_refund_before_the_free_window_closes() -> None:
    refund = refund_for(CancellationPolicy(), paid=PAID, starts_at=START, now=START - timedelta(hours=30))
    assert refund == Refund(amount=Decimal("12000.00"), percent=100, free=True)


def test_exactly_at_the_limit_is_still_free() -> None:
    refund = refund_for(CancellationPolicy(), paid=PAID, starts_at=START, now=START - timedelta(hours=24))
    assert refund.free
    assert refund.percent == 100


def test_after_the_free_window_nothing_by_default() -> None:
    now = START - timedelta(hours=23, minutes=59)
    refund = refund_for(CancellationPolicy(), paid=PAID, starts_at=START, now=now)
    assert refund == Refund(amount=Decimal("0.00"), percent=0, free=False)


def test_late_refund_is_rounded_half_up_to_cents() -> None:
    policy = CancellationPolicy(free_hours=48, late_refund_percent=50)
    refund = refund_for(policy, paid=Decimal("25.05"), starts_at=START, now=START - timedelta(hours=3))
    assert refund == Refund(amount=Decimal("12.53"), percent=50, free=False)
    assert refund.amount.as_tuple().exponent == -2


def test_free_until_the_start() -> None:
    policy = CancellationPolicy(free_hours=0)
    refund = refund_for(policy, paid=PAID, starts_at=START, now=START - timedelta(minutes=1))
    assert refund.free
    assert refund.amount == PAID


@pytest.mark.parametrize("after", [timedelta(0), timedelta(minutes=5)])
def test_no_cancelling_once_it_has_started(after: timedelta) -> None:
    with pytest.raises(TripwiseError) as caught:
        refund_for(CancellationPolicy(), paid=PAID, starts_at=START, now=START + after)
    assert caught.value.code == "too_late_to_cancel"
    assert caught.value.status == 409
    assert "already started" in caught.value.message


def test_hours_are_real_hours_across_a_clock_change() -> None:
    # Helsinki goes back one hour on Sunday 25 October 2026: 10:30 Saturday to 10:00 Sunday is 24.5 real hours.
    starts_at = datetime(2026, 10, 25, 10, 0, tzinfo=HELSINKI)
    now = datetime(2026, 10, 24, 10, 30, tzinfo=HELSINKI)
    assert refund_for(CancellationPolicy(), paid=PAID, starts_at=starts_at, now=now).free


def test_times_in_different_zones_compare_as_instants() -> None:
    now = (START - timedelta(hours=25)).astimezone(ZoneInfo("America/New_York"))
    assert refund_for(CancellationPolicy(), paid=PAID, starts_at=START, now=now).free


@pytest.mark.parametrize(
    "kwargs",
    [
        {"free_hours": -1},
        {"late_refund_percent": -1},
        {"late_refund_percent": 101},
        {"late_refund_percent": True},
    ],
)
def test_bad_policies_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(TripwiseError) as caught:
        CancellationPolicy(**kwargs)
    assert caught.value.code == "bad_policy"


def test_negative_amount_is_refused() -> None:
    with pytest.raises(TripwiseError) as caught:
        refund_for(CancellationPolicy(), paid=Decimal("-1"), starts_at=START, now=START - timedelta(days=2))
    assert caught.value.code == "bad_amount"


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (CancellationPolicy(), "Free cancellation up to 24 hours before the start; after that, no refund."),
        (
            CancellationPolicy(free_hours=48, late_refund_percent=50),
            "Free cancellation up to 48 hours before the start; after that, 50% back.",
        ),
        (
            CancellationPolicy(free_hours=1),
            "Free cancellation up to 1 hour before the start; after that, no refund.",
        ),
        (CancellationPolicy(free_hours=0), "Free cancellation until the start."),
    ],
)
def test_describe_policy(policy: CancellationPolicy, words: str) -> None:
    assert describe_policy(policy) == words
