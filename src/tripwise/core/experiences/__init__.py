"""Experiences (guided tours, tastings, excursions): pure rules, no Django.

- ``schedule``: recurring start times in OpenStreetMap day syntax ("Tu-Su 11:00,15:00").
- ``applications``: experiences booked by application on workdays (the ALZHIR museum).
- ``cancellation``: refunds and the policy in words.
- ``nearby``: Z-order cell codes for "near here" with a plain integer index.
"""

from __future__ import annotations

from tripwise.core.experiences.applications import (
    ApplicationRules,
    accepts_at,
    earliest_visit,
    is_workday,
    next_submission,
    offered_dates,
    refusal_message,
)
from tripwise.core.experiences.cancellation import CancellationPolicy, Refund, describe_policy, refund_for
from tripwise.core.experiences.nearby import bounding_box, cell_of, cell_ranges
from tripwise.core.experiences.schedule import describe_schedule, normalise_schedule, slot_starts

__all__ = [
    "ApplicationRules",
    "CancellationPolicy",
    "Refund",
    "accepts_at",
    "bounding_box",
    "cell_of",
    "cell_ranges",
    "describe_policy",
    "describe_schedule",
    "earliest_visit",
    "is_workday",
    "next_submission",
    "normalise_schedule",
    "offered_dates",
    "refund_for",
    "refusal_message",
    "slot_starts",
]
