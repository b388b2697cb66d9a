"""The compiled Connection Scan (Dibbelt, Pajor, Strasser & Wagner, 2013) behind TransitNetwork.connections.

For one origin point, one scan answers every departure sample at once (see scan_origins): a stop's label
is its arrival for each sample, and those stay sorted because leaving earlier never arrives later.

Footpaths follow RAPTOR's rule (tripwise.core.transit.raptor): one footpath after each ride, or after the
walk from the origin, never two in a row. `tau_ride` holds arrivals that may start a footpath, `tau_any`
also those that ended one; boarding reads `tau_any`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

import numpy as np
from numba import njit
from numpy.typing import NDArray

NEVER = 2**62
# Labels are int32 to halve the rows' memory (they stay in the core's cache); clock seconds fit easily, and
# "not reached" leaves room below 2**31 for the walks added to it.
UNREACHED = 2**30
I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
B1 = NDArray[np.bool_]
Function = TypeVar("Function", bound=Callable[..., object])


def compiled(function: Function) -> Function:
    """numba's njit, typed for mypy; cache=True keeps the machine code, nogil=True lets threads share work."""
    return cast(Function, njit(cache=True, nogil=True)(function))


def inlined(function: Function) -> Function:
    return cast(Function, njit(cache=True, nogil=True, inline="always")(function))


@inlined
def _lower(tau: I32, stop: int, first: int, end: int, value: int) -> None:
    """tau[i, stop] = min(tau[i, stop], value) for samples i in first..end-1, from the top down.

    A stop's arrivals never decrease with the sample, so the values above `value` are the last samples
    and the loop stops at the first that is not above."""
    i = end - 1
    while i >= first and tau[i, stop] > value:
        tau[i, stop] = value
        i -= 1


@compiled
def scan_origins(
    first: int,
    last: int,
    departures: I64,
    horizon: int,
    point_walk: I64,
    min_walk: int,
    access_ptr: I64,
    access_stop: I32,
    access_walk: I64,
    foot_ptr: I64,
    foot_to: I32,
    foot_seconds: I64,
    c_depart: I32,
    c_arrive: I32,
    c_from: I32,
    c_to: I32,
    c_trip: I32,
    c_board: B1,
    c_alight: B1,
    trip_count: int,
    out: I64,
) -> None:
    """Fill out[o, d, i]: the earliest arrival at point d leaving point o at departures[i] (ascending),
    for origins first..last-1; NEVER where d is not a target of o (within min_walk) or is not reached.

    One scan per origin serves every sample: a stop's arrivals never decrease from one sample to the next
    (what one reaches leaving later, one reaches leaving earlier by waiting at the origin), so the samples
    that can board a connection are a prefix of them, and so are those already on a trip (`on_board`
    counts them: a trip boarded by a sample at some stop is boarded by every earlier sample there or before).
    A ride improves a stop for a range of samples just below the trip's prefix end. The scan covers the
    connections leaving from the first sample until `horizon` after the last.

    `access_*` lists, per point, the stops within walking distance of it and the seconds to walk, which
    serve both ways (walking is symmetric).
    """
    stop_count = foot_ptr.shape[0] - 1
    points = point_walk.shape[0]
    samples = departures.shape[0]
    # Sample-major: the scan mostly reads the samples that left last, whose rows stay in the cache.
    tau_ride = np.empty((samples, stop_count), dtype=np.int32)
    tau_any = np.empty((samples, stop_count), dtype=np.int32)
    on_board = np.empty(trip_count, dtype=np.int32)
    best = np.empty(samples, dtype=np.int64)
    by_stop = np.empty((stop_count, samples), dtype=np.int32)
    begin = np.searchsorted(c_depart, departures[0])
    end = np.searchsorted(c_depart, departures[samples - 1] + horizon)
    for origin in range(first, last):
        out[origin, :, :] = NEVER
        has_target = False
        for d in range(points):
            if d != origin and point_walk[origin, d] > min_walk:
                has_target = True
        if not has_target or access_ptr[origin] == access_ptr[origin + 1]:
            continue
        tau_ride[:, :] = UNREACHED
        tau_any[:, :] = UNREACHED
        on_board[:] = 0
        for k in range(access_ptr[origin], access_ptr[origin + 1]):
            stop = access_stop[k]
            for i in range(samples):
                reached = departures[i] + access_walk[k]
                if reached < tau_ride[i, stop]:
                    tau_ride[i, stop] = reached
                if reached < tau_any[i, stop]:
                    tau_any[i, stop] = reached
                for f in range(foot_ptr[stop], foot_ptr[stop + 1]):
                    walked = reached + foot_seconds[f]
                    if walked < tau_any[i, foot_to[f]]:
                        tau_any[i, foot_to[f]] = walked
        for c in range(begin, end):
            trip = c_trip[c]
            boarded = on_board[trip]
            leave = c_depart[c]
            # A sample not yet gone from the origin cannot be at the stop: no need to read its row.
            if boarded < samples and departures[boarded] <= leave and c_board[c]:
                stop = c_from[c]
                if tau_any[boarded, stop] <= leave:
                    boarded += 1
                    while boarded < samples and tau_any[boarded, stop] <= leave:
                        boarded += 1
                    on_board[trip] = boarded
            if boarded == 0 or not c_alight[c]:
                continue
            arrive = c_arrive[c]
            stop = c_to[c]
            if tau_ride[boarded - 1, stop] <= arrive:
                continue
            low = boarded - 1
            while low > 0 and tau_ride[low - 1, stop] > arrive:
                low -= 1
            for i in range(low, boarded):
                tau_ride[i, stop] = arrive
                if arrive < tau_any[i, stop]:
                    tau_any[i, stop] = arrive
            for f in range(foot_ptr[stop], foot_ptr[stop + 1]):
                _lower(tau_any, foot_to[f], low, boarded, arrive + foot_seconds[f])
        # Walking on to the points reads each stop's arrivals for every sample: stop-major from here.
        for i in range(samples):
            for stop in range(stop_count):
                by_stop[stop, i] = tau_any[i, stop]
        for d in range(points):
            if d == origin or point_walk[origin, d] <= min_walk:
                continue
            best[:] = NEVER
            for k in range(access_ptr[d], access_ptr[d + 1]):
                row = by_stop[access_stop[k]]
                walk = access_walk[k]
                if row[0] == UNREACHED:  # sample 0 arrives first: the stop is never reached
                    continue
                for i in range(samples):
                    best[i] = min(best[i], row[i] + walk)
            for i in range(samples):
                out[origin, d, i] = best[i] if best[i] < UNREACHED else NEVER


@compiled
def compress(departures: I64, point_walk: I64, min_walk: int, out: I64) -> tuple[I64, I64, I64, I64]:
    """Per pair (o, d) in row order, the samples that beat walking and are not matched by a later sample
    (leaving later and arriving as early makes the earlier one redundant): (pair_ptr, depart, arrive,
    sample index)."""
    points = point_walk.shape[0]
    samples = departures.shape[0]
    count = 0
    for o in range(points):
        for d in range(points):
            for i in range(samples):
                arrive = out[o, d, i]
                if arrive < departures[i] + point_walk[o, d] and (
                    i == samples - 1 or arrive < out[o, d, i + 1]
                ):
                    count += 1
    pair_ptr = np.zeros(points * points + 1, dtype=np.int64)
    depart = np.empty(count, dtype=np.int64)
    arrive_at = np.empty(count, dtype=np.int64)
    sample = np.empty(count, dtype=np.int64)
    k = 0
    for o in range(points):
        for d in range(points):
            for i in range(samples):
                arrive = out[o, d, i]
                if arrive < departures[i] + point_walk[o, d] and (
                    i == samples - 1 or arrive < out[o, d, i + 1]
                ):
                    depart[k] = departures[i]
                    arrive_at[k] = arrive
                    sample[k] = i
                    k += 1
            pair_ptr[o * points + d + 1] = k
    return pair_ptr, depart, arrive_at, sample
