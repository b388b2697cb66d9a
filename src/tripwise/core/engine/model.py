"""The engine's input and output: plain frozen dataclasses, integers only.

Times are integers in one unit chosen by the caller (the benchmark uses tenths or hundredths of its distance
unit so that truncated Euclidean times stay exact; the trip planner uses seconds since the trip's first
midnight). Money is an integer in minor units. Integers keep the solver and the checker in exact agreement:
no "100.00000001 > 100" surprises at a closing time.

A stop's windows bound the START of its visit, as in the TOPTW literature: a museum open 10:00-18:00 with
a 90-minute visit has the window [10:00, 16:30]. Windows are given per tour (a tour is a day in a trip), so
"closed on Mondays" is simply no window on Monday's tour.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

NEVER = 2**62  # an arrival time meaning "cannot get there" (a travel function may return it)


@dataclass(frozen=True)
class Window:
    open: int
    close: int  # latest start of the visit

    def __post_init__(self) -> None:
        if self.close < self.open:
            raise ValueError(f"window closes ({self.close}) before it opens ({self.open})")


@dataclass(frozen=True)
class Stop:
    node: int  # index into the travel data (several stops may share a node, tours start and end at nodes)
    score: int  # how much the traveller wants it (>= 0)
    duration: int  # length of the visit
    windows: tuple[tuple[Window, ...], ...]  # windows[t]: sorted, disjoint windows on tour t; () = not on t
    cost: int = 0  # counts against Problem.budget
    mandatory: bool = False  # must-see: visited before any score is weighed, unless no plan can hold it
    label: str = ""  # the caller's id, for explanations


@dataclass(frozen=True)
class Tour:
    start_node: int
    end_node: int
    earliest: int  # may leave the start from this time
    latest: int  # must be back at the end by this time


class Travel(Protocol):
    """Leaving `origin` at `depart` on tour `tour`, when do I reach `destination`?

    Must be FIFO: leaving later never arrives earlier. May return NEVER.
    """

    def arrival(self, origin: int, destination: int, depart: int, tour: int) -> int: ...


@dataclass(frozen=True)
class MatrixTravel:
    """Travel times that do not depend on the time of day: arrival = depart + times[origin][destination]."""

    times: tuple[tuple[int, ...], ...]

    def arrival(self, origin: int, destination: int, depart: int, tour: int) -> int:
        return depart + self.times[origin][destination]


@dataclass(frozen=True)
class Connection:
    depart: int
    arrive: int


@dataclass(frozen=True)
class TimetableTravel:
    """Travel by timetable (a bus every hour) with a fixed-time alternative (walking, or a drive).

    arrival = the earlier of `depart + fixed[origin][destination]` (when fixed is below NEVER) and the
    earliest arrival among the scheduled connections that leave at or after `depart`. Taking the earliest
    arrival over every later departure is what makes it FIFO even when a slow bus leaves before a fast one.
    `connections[(tour, origin, destination)]` must be sorted by departure.
    """

    fixed: tuple[tuple[int, ...], ...]
    connections: Mapping[tuple[int, int, int], tuple[Connection, ...]]

    def arrival(self, origin: int, destination: int, depart: int, tour: int) -> int:
        by_fixed = (
            depart + self.fixed[origin][destination] if self.fixed[origin][destination] < NEVER else NEVER
        )
        options = self.connections.get((tour, origin, destination), ())
        first = bisect_left(options, depart, key=lambda connection: connection.depart)
        by_timetable = min((connection.arrive for connection in options[first:]), default=NEVER)
        return min(by_fixed, by_timetable)


@dataclass(frozen=True, eq=False)
class TableTravel:
    """TimetableTravel with its connections in flat arrays: a city timetable gives millions of them, and one
    Python object per connection would cost more than planning.

    The connections of (tour, origin, destination) are ``depart[ptr[k]:ptr[k + 1]]`` and the same slice of
    ``arrive``, with ``k = (tour * nodes + origin) * nodes + destination``, sorted by departure. ``best``
    is worked out once: the earliest arrival among each connection and the later ones of its slice.
    """

    fixed: tuple[tuple[int, ...], ...]
    ptr: NDArray[np.int64]
    depart: NDArray[np.int64]
    arrive: NDArray[np.int64]
    best: NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.depart) != len(self.arrive) or int(self.ptr[-1]) != len(self.depart):
            raise ValueError("TableTravel: ptr, depart and arrive do not describe the same connections.")
        # A suffix minimum inside each slice, for all slices at once: walking the arrays backwards, each
        # slice is lowered by more than the whole range of times below the slices walked before it, so a
        # running minimum never reaches back into an earlier slice; then the offsets are added back.
        count = len(self.arrive)
        if count == 0:
            object.__setattr__(self, "best", np.zeros(0, dtype=np.int64))
            return
        sizes = np.diff(self.ptr)
        slice_of = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        span = int(self.arrive.max() - self.arrive.min()) + 1
        lowered = self.arrive - (len(sizes) - slice_of) * span
        best = np.minimum.accumulate(lowered[::-1])[::-1] + (len(sizes) - slice_of) * span
        object.__setattr__(self, "best", best.astype(np.int64))

    def arrival(self, origin: int, destination: int, depart: int, tour: int) -> int:
        nodes = len(self.fixed)
        by_fixed = self.fixed[origin][destination]
        by_fixed = depart + by_fixed if by_fixed < NEVER else NEVER
        k = (tour * nodes + origin) * nodes + destination
        ptr = self._ptr
        if k + 1 >= len(ptr) or ptr[k] == ptr[k + 1]:  # most pairs have no connection: no array access
            return by_fixed
        low, high = ptr[k], ptr[k + 1]
        first = low + bisect_left(self.depart[low:high].tolist(), depart)
        return min(by_fixed, int(self.best[first])) if first < high else by_fixed

    @cached_property
    def _ptr(self) -> list[int]:
        return [int(value) for value in self.ptr.tolist()]


@dataclass(frozen=True)
class Problem:
    stops: tuple[Stop, ...]
    tours: tuple[Tour, ...]
    travel: Travel
    budget: int | None = None  # total cost allowed over all tours; None: no budget


@dataclass(frozen=True)
class Visit:
    stop: int  # index into Problem.stops
    arrival: int
    start: int  # arrival + wait, inside one of the stop's windows on this tour
    end: int  # start + duration: when the traveller leaves

    @property
    def wait(self) -> int:
        return self.start - self.arrival


@dataclass(frozen=True)
class TourPlan:
    tour: int
    depart: int  # leaves the tour's start node
    visits: tuple[Visit, ...]
    arrive: int  # reaches the tour's end node


class Reason(StrEnum):
    NO_WINDOW = "no_window"  # no tour has a window it can be reached and visited in, even alone
    OVER_BUDGET = "over_budget"  # it fits in time, but its cost does not fit the budget with what is planned
    DISPLACED = "displaced"  # it fits alone, but only by dropping visits worth more


@dataclass(frozen=True)
class LeftOut:
    stop: int
    reason: Reason
    detail: str  # plain words for a traveller, naming what excluded it


@dataclass(frozen=True)
class Solution:
    tours: tuple[TourPlan, ...]  # one per Problem.tours, same order
    left_out: tuple[LeftOut, ...]  # every stop not visited, with why
    score: int
    cost: int
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict, compare=False)  # iterations, restarts, ...

    def routes(self) -> list[list[int]]:
        """Stop indices per tour, in visit order: what the checker takes."""
        return [[visit.stop for visit in plan.visits] for plan in self.tours]


Routes = Sequence[Sequence[int]]
