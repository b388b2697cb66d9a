"""Cancellation of a booked experience: how much comes back, and the policy in one sentence.

Times are compared as instants (through UTC), not as wall-clock readings: two aware datetimes in the same
zone subtract by their clock digits in Python, which is an hour off across a DST change, and an hour
decides whether a cancellation is free.

>>> policy = CancellationPolicy(free_hours=24, late_refund_percent=50)
>>> describe_policy(policy)
'Free cancellation up to 24 hours before the start; after that, 50% back.'
>>> from datetime import timezone
>>> start = datetime(2026, 12, 1, 11, 0, tzinfo=timezone.utc)
>>> refund_for(policy, paid=Decimal("25.05"), starts_at=start, now=start - timedelta(hours=2))
Refund(amount=Decimal('12.53'), percent=50, free=False)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tripwise.core.errors import TripwiseError

__all__ = ["CancellationPolicy", "Refund", "describe_policy", "refund_for"]

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class CancellationPolicy:
    """Free cancellation until ``free_hours`` before the start; after that ``late_refund_percent`` back."""

    free_hours: int = 24
    late_refund_percent: int = 0

    def __post_init__(self) -> None:
        # bool is an int in Python; True hours or True percent is a mistake, not a policy.
        if isinstance(self.free_hours, bool) or not isinstance(self.free_hours, int) or self.free_hours < 0:
            raise TripwiseError(
                "bad_policy",
                f"free_hours must be a whole number of hours, 0 or more (got {self.free_hours!r}), e.g. 24.",
            )
        percent = self.late_refund_percent
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise TripwiseError(
                "bad_policy",
                f"late_refund_percent must be a whole number from 0 to 100 (got {percent!r}), e.g. 50.",
            )


@dataclass(frozen=True)
class Refund:
    """What comes back: ``amount`` (2 decimals), the ``percent`` of the price, ``free``: inside the free window."""

    amount: Decimal
    percent: int
    free: bool


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name}={moment!r} is naive: pass a timezone-aware datetime.")


def refund_for(policy: CancellationPolicy, *, paid: Decimal, starts_at: datetime, now: datetime) -> Refund:
    """The refund for cancelling at ``now`` a booking paid ``paid`` that starts at ``starts_at``.

    Exactly ``free_hours`` before the start is still free ("up to 24 hours before"). Raises
    ``TripwiseError("too_late_to_cancel", status=409)`` once the experience has started, and
    ``TripwiseError("bad_amount")`` for a negative or non-finite amount.
    """
    _require_aware(starts_at, "starts_at")
    _require_aware(now, "now")
    if not isinstance(paid, Decimal) or not paid.is_finite() or paid < 0:
        raise TripwiseError("bad_amount", f"The amount paid must be 0 or more (got {paid!r}).")
    left = starts_at.astimezone(UTC) - now.astimezone(UTC)
    if left <= timedelta(0):
        raise TripwiseError(
            "too_late_to_cancel",
            "This experience has already started, so it can no longer be cancelled. Contact the organiser "
            "if you could not take part.",
            status=409,
        )
    free = left >= timedelta(hours=policy.free_hours)
    percent = 100 if free else policy.late_refund_percent
    amount = (paid * percent / Decimal(100)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return Refund(amount=amount, percent=percent, free=free)


def describe_policy(policy: CancellationPolicy) -> str:
    """The policy in one sentence, for the booking page.

    >>> describe_policy(CancellationPolicy())
    'Free cancellation up to 24 hours before the start; after that, no refund.'
    >>> describe_policy(CancellationPolicy(free_hours=0))
    'Free cancellation until the start.'
    """
    if policy.free_hours == 0:
        return "Free cancellation until the start."
    hours = "1 hour" if policy.free_hours == 1 else f"{policy.free_hours} hours"
    if policy.late_refund_percent == 0:
        after = "no refund"
    elif policy.late_refund_percent == 100:
        after = "a full refund until the start"
    else:
        after = f"{policy.late_refund_percent}% back"
    return f"Free cancellation up to {hours} before the start; after that, {after}."
