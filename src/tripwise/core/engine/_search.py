"""The compiled search: ruin and recreate with simulated annealing, over routes held in integer arrays.

One iteration copies the current solution, ruins it (removes a run of consecutive visits from one or more
tours as in Vansteenwegen et al.'s ILS shake, or random visits, or a stop and its nearest visited
neighbours), recreates it by greedy insertion (weight^p / added time, p, a share of the waiting not counted
and a small noise drawn per iteration; the stops just removed wait until nothing else fits, half of the
time), polishes touched tours by or-opt when travel is static, fills again, and accepts the result by
simulated annealing (cooling with the elapsed share of the time or iteration budget; at equal score the
tour that gets back earlier wins). After too long without a new best it returns to the best.

Everything works on the extended stops of `_arrays` (a route is [start, stops..., end]) and keeps, per
tour and position, the arrival and start of the earliest-start schedule. That schedule decides
feasibility exactly (travel is FIFO and an earliest start never decreases with the arrival), so a route
is feasible iff its simulated start times are all finite.

Two ways to check an insertion:
- simple problems (static travel, one window): the classic slack ("MaxShift", Vansteenwegen et al. 2009):
  how much later position p may start without breaking anything after it. O(1) per candidate.
- otherwise (several windows, timetables): re-simulate the tail after the insertion, stopping as soon as
  a start time equals the old one, since the rest of the route then repeats exactly.

Randomness comes from numba's own generator (one per thread), seeded once per search: a run with an
iteration cap is therefore the same on every call, however it is cut into chunks.

numba compiles each function apart, and passing a tuple of arrays to a function costs a reference-count
update per array: hot helpers take plain arrays and are inlined, and loops unpack the tuples once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar, cast

import numpy as np
from numba import njit
from numpy.typing import NDArray

from tripwise.core.engine._arrays import Arrays

NEVER = 2**62
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
Function = TypeVar("Function", bound=Callable[..., object])


def compiled(function: Function) -> Function:
    """numba's njit, typed for mypy (numba ships no stubs); cache=True keeps the machine code between runs,
    nogil=True lets searches run in parallel threads."""
    return cast(Function, njit(cache=True, nogil=True)(function))


def inlined(function: Function) -> Function:
    """A small hot helper compiled into its callers: a call that passes the problem's tuple of arrays
    costs a reference-count update per array, several times the work of the helper itself."""
    return cast(Function, njit(cache=True, nogil=True, inline="always")(function))


# Control words of a search (ctl array), kept between chunks so that chunking never changes the result.
IT = 0  # iterations done
STALL = 1  # iterations since the best improved or the search returned to it
RESTARTS = 2  # returns to the best solution
BEST_AT = 3  # iteration that found the best
FRESH = 4  # 1 if Work.kept holds the ratios of the current solution
CTL_SIZE = 8

# Tuning (params array, floats).
NOISE = 0  # largest random spread of the insertion ratio (0: pure greedy)
RESTART_AFTER = 1  # non-improving iterations before the search returns to the best
RUIN_FRACTION = 2  # a ruin removes at most this fraction of the visits
TEMPERATURE = 3  # initial temperature (in weight units)
COOLING = 4  # final temperature / initial temperature
PROGRESS = 5  # how far the search is at the start of a chunk (0..1)
PROGRESS_STEP = 6  # progress per iteration
RUIN_MOST = 7  # and at most this many
POWER_LOW = 8  # insertion ratio weight^power / added time, power drawn in [low, high] per iteration
POWER_HIGH = 9
MIX = 10  # largest share of the wait at the inserted stop not counted as added time
BAN = 11  # probability that a recreate first inserts everything but what the ruin removed
POLISH_SPAN = 12  # how far or-opt moves a run of visits (0: no polish)
STRING_TOURS = 13  # chance that a string ruin also cuts each other tour
PARAMS_SIZE = 16


class State(NamedTuple):
    seq: I64  # (tours, n + 2): extended stops by position; position 0 the start, length + 1 the end
    length: I64  # (tours,): visits on each tour
    arr: I64  # (tours, n + 2): arrival at each position
    start: I64  # (tours, n + 2): start of the visit (NEVER: cannot be scheduled)
    slack: I64  # (tours, n + 2): simple problems only: how much later the start may move
    tour_of: I64  # (n,): tour of each stop, -1 if unvisited
    totals: I64  # [weight, cost] of the visited stops
    touched: I64  # (tours,): 1 if the tour changed since the flags were last cleared


def new_state(arrays: Arrays) -> State:
    tours = arrays.n_tours
    width = arrays.n + 2
    seq = np.zeros((tours, width), dtype=np.int64)
    start = np.zeros((tours, width), dtype=np.int64)
    for t in range(tours):
        seq[t, 0] = arrays.n + 2 * t
        seq[t, 1] = arrays.n + 2 * t + 1
        # Position 0 is never re-simulated: the tour leaves its start at the earliest time allowed.
        start[t, 0] = arrays.win_open[arrays.win_ptr[t, arrays.n + 2 * t]]
    return State(
        seq=seq,
        length=np.zeros(tours, dtype=np.int64),
        arr=start.copy(),
        start=start,
        slack=np.zeros((tours, width), dtype=np.int64),
        tour_of=np.full(arrays.n, -1, dtype=np.int64),
        totals=np.zeros(2, dtype=np.int64),
        touched=np.zeros(tours, dtype=np.int64),
    )


@inlined
def _arrive(
    static: bool,
    times: I64,
    n_nodes: int,
    conn_ptr: I64,
    conn_depart: I64,
    conn_best: I64,
    origin: int,
    destination: int,
    depart: int,
    t: int,
) -> int:
    if depart >= NEVER:
        return NEVER
    if static:
        return int(depart + times[origin, destination])
    best = NEVER
    fixed = times[origin, destination]
    if fixed < NEVER:
        best = depart + fixed
    k = (t * n_nodes + origin) * n_nodes + destination
    lo = conn_ptr[k]
    end = conn_ptr[k + 1]
    hi = end
    while lo < hi:
        mid = (lo + hi) // 2
        if conn_depart[mid] < depart:
            lo = mid + 1
        else:
            hi = mid
    if lo < end and conn_best[lo] < best:
        best = conn_best[lo]
    return int(best)


@inlined
def _start_at(win_ptr: I64, win_open: I64, win_close: I64, e: int, t: int, arrival: int) -> int:
    for k in range(win_ptr[t, e], win_ptr[t, e + 1]):
        if win_close[k] >= arrival:
            return win_open[k] if win_open[k] > arrival else arrival
    return NEVER


@compiled
def _slack(d: Arrays, s: State, t: int) -> None:
    win_ptr = d.win_ptr
    win_close = d.win_close
    seq = s.seq
    start = s.start
    arr = s.arr
    slack = s.slack
    last = s.length[t] + 1
    e = seq[t, last]
    slack[t, last] = win_close[win_ptr[t, e]] - start[t, last]
    for k in range(last - 1, 0, -1):
        e = seq[t, k]
        own = win_close[win_ptr[t, e]] - start[t, k]
        later = start[t, k + 1] - arr[t, k + 1] + slack[t, k + 1]
        slack[t, k] = own if own < later else later


@compiled
def _recompute(d: Arrays, s: State, t: int, first: int) -> bool:
    """Re-simulate tour t from position `first` (>= 1); True if it is feasible."""
    static, times, n_nodes = d.static, d.times, d.n_nodes
    conn_ptr, conn_depart, conn_best = d.conn_ptr, d.conn_depart, d.conn_best
    win_ptr, win_open, win_close = d.win_ptr, d.win_open, d.win_close
    node, duration = d.node, d.duration
    seq, arr, start = s.seq, s.arr, s.start
    if first < 1:
        first = 1
    for k in range(first, s.length[t] + 2):
        prev = seq[t, k - 1]
        e = seq[t, k]
        a = _arrive(
            static,
            times,
            n_nodes,
            conn_ptr,
            conn_depart,
            conn_best,
            node[prev],
            node[e],
            start[t, k - 1] + duration[prev],
            t,
        )
        arr[t, k] = a
        start[t, k] = _start_at(win_ptr, win_open, win_close, e, t, a)
    if d.simple:
        _slack(d, s, t)
    return bool(start[t, s.length[t] + 1] < NEVER)


@compiled
def _rate_tour(
    d: Arrays, s: State, ratio: F64, where: I64, t: int, noise: float, power: float, mix: float, refresh: bool
) -> None:
    """For every unvisited stop, its cheapest insertion into tour t and its weight^2 / added time.

    Added time is the delay of the arrival at the next position, the waiting included (Vansteenwegen's
    Shift), less `mix` times the wait for j's window: counting the whole wait makes every stop that opens
    late look dear, and the best plans of tight-window days often drive to one and wait. It is checked by slack on simple problems, by re-simulating the tail otherwise. With `refresh`,
    only stops that fitted before the tour's last insertion are rated again: adding a visit only delays
    the others (give or take a triangle inequality), so a stop that did not fit still does not.
    """
    static, simple, times, n_nodes = d.static, d.simple, d.times, d.n_nodes
    conn_ptr, conn_depart, conn_best = d.conn_ptr, d.conn_depart, d.conn_best
    win_ptr, win_open, win_close = d.win_ptr, d.win_open, d.win_close
    node, duration, weight, min_in = d.node, d.duration, d.weight, d.min_in
    seq, arr, start, slack, tour_of = s.seq, s.arr, s.start, s.slack, s.tour_of
    last = s.length[t] + 1
    for j in range(d.n):
        if refresh and ratio[j, t] < 0.0:
            continue
        ratio[j, t] = -1.0
        if tour_of[j] >= 0 or weight[j] <= 0 or win_ptr[t, j] == win_ptr[t, j + 1]:
            continue
        best = np.inf
        best_p = -1
        nj = node[j]
        closes = win_close[win_ptr[t, j + 1] - 1] - min_in[j]
        for p in range(1, last + 1):
            prev = seq[t, p - 1]
            nxt = seq[t, p]
            depart = start[t, p - 1] + duration[prev]
            if depart > closes:
                break
            a = _arrive(static, times, n_nodes, conn_ptr, conn_depart, conn_best, node[prev], nj, depart, t)
            sj = _start_at(win_ptr, win_open, win_close, j, t, a)
            if sj >= NEVER:
                continue
            a2 = _arrive(
                static, times, n_nodes, conn_ptr, conn_depart, conn_best, nj, node[nxt], sj + duration[j], t
            )
            if a2 >= NEVER:
                continue
            delay = a2 - arr[t, p] if arr[t, p] < NEVER else a2 - depart
            if simple:
                opens = win_open[win_ptr[t, nxt]]
                s2 = a2 if a2 > opens else opens
            else:
                s2 = _start_at(win_ptr, win_open, win_close, nxt, t, a2)
            measure = max(delay - mix * (sj - a), 0.0)
            if measure >= best:
                continue
            if simple:
                if s2 - start[t, p] > slack[t, p]:
                    continue
            else:
                cur = s2
                k = p
                while cur < NEVER and k < last and cur != start[t, k]:
                    e_prev = seq[t, k]
                    e = seq[t, k + 1]
                    a3 = _arrive(
                        static,
                        times,
                        n_nodes,
                        conn_ptr,
                        conn_depart,
                        conn_best,
                        node[e_prev],
                        node[e],
                        cur + duration[e_prev],
                        t,
                    )
                    cur = _start_at(win_ptr, win_open, win_close, e, t, a3)
                    k += 1
                if cur >= NEVER:
                    continue
            best = measure
            best_p = p
        if best_p < 0:
            continue
        w = float(weight[j])
        value = w**power / (best + 1.0)
        if noise > 0.0:
            value *= 1.0 - noise * np.random.random()
        ratio[j, t] = value
        where[j, t] = best_p


@compiled
def _insert(d: Arrays, s: State, t: int, p: int, j: int) -> None:
    last = s.length[t] + 1
    for k in range(last, p - 1, -1):
        s.seq[t, k + 1] = s.seq[t, k]
    s.seq[t, p] = j
    s.length[t] += 1
    s.tour_of[j] = t
    s.touched[t] = 1
    s.totals[0] += d.weight[j]
    s.totals[1] += d.cost[j]
    _recompute(d, s, t, p)


@compiled
def _copy(src: State, dst: State) -> None:
    dst.seq[:] = src.seq
    dst.length[:] = src.length
    dst.arr[:] = src.arr
    dst.start[:] = src.start
    dst.slack[:] = src.slack
    dst.tour_of[:] = src.tour_of
    dst.totals[:] = src.totals
    dst.touched[:] = src.touched


@compiled
def _fill(
    d: Arrays,
    s: State,
    ratio: F64,
    where: I64,
    noise: float,
    power: float,
    mix: float,
    banned: I64,
    ban: bool,
) -> None:
    """Greedy insertion by weight^power / added time until nothing more fits.

    `ratio` must hold the ratios of the tours not marked in s.touched, -1 for a stop that does not fit
    there, 0 for one to rate afresh. With `ban`, the stops marked in `banned` (those a ruin just removed) wait until nothing else fits:
    they fit best where they were, and would otherwise often just go back there.
    """
    n = d.n
    tours = d.n_tours
    for t in range(tours):
        # An untouched tour keeps its ratios: only the stops that fitted it (or were set to 0) are rated.
        _rate_tour(d, s, ratio, where, t, noise, power, mix, s.touched[t] == 0)
    while True:
        room = d.budget - s.totals[1]
        best = -1.0
        bj = -1
        bt = -1
        for j in range(n):
            if s.tour_of[j] >= 0 or d.cost[j] > room or (ban and banned[j] != 0):
                continue
            for t in range(tours):
                if ratio[j, t] > best:
                    best = ratio[j, t]
                    bj = j
                    bt = t
        if bj < 0:
            if ban:
                ban = False
                continue
            return
        _insert(d, s, bt, where[bj, bt], bj)
        for t in range(tours):
            ratio[bj, t] = -1.0
        _rate_tour(d, s, ratio, where, bt, noise, power, mix, True)


@compiled
def _remove_marked(d: Arrays, s: State, mark: I64, buf: I64) -> None:
    """Take every stop with mark[stop] != 0 off its tour (the marks stay)."""
    for t in range(d.n_tours):
        length = s.length[t]
        last = length + 1
        hit = False
        for q in range(1, last):
            if mark[s.seq[t, q]] != 0:
                hit = True
                break
        if not hit:
            continue
        buf[: last + 1] = s.seq[t, : last + 1]
        write = 1
        for q in range(1, last):
            if mark[buf[q]] == 0:
                s.seq[t, write] = buf[q]
                write += 1
        s.seq[t, write] = buf[last]
        s.length[t] = write - 1
        # Without the triangle inequality (a bus via the removed stop), a removal can make a route
        # later; such a tour keeps its visits this time.
        if not _recompute(d, s, t, 1):
            s.seq[t, : last + 1] = buf[: last + 1]
            s.length[t] = length
            _recompute(d, s, t, 1)
            continue
        s.touched[t] = 1
        for q in range(1, last):
            e = buf[q]
            if mark[e] != 0:
                s.tour_of[e] = -1
                s.totals[0] -= d.weight[e]
                s.totals[1] -= d.cost[e]


class Work(NamedTuple):
    ratio: F64  # (n, tours): insertion ratio per stop and tour, -1 if it fits nowhere
    where: I64  # (n, tours): its best position
    buf: I64  # (n + 2,)
    old: I64  # (n + 2,)
    mark: I64  # (n + 2 * tours,): stops to remove
    near: I64  # (n, n): other stops by travel time there and back, nearest first
    kept: F64  # the ratios of the current solution, when ctl[FRESH]
    ctl: I64  # control words (IT, STALL, ...)
    params: F64  # tuning (NOISE, ...)


def new_work(arrays: Arrays, ctl: I64, params: F64) -> Work:
    n = arrays.n
    tours = max(arrays.n_tours, 1)
    stops = arrays.node[:n]
    times = arrays.times[np.ix_(stops, stops)].astype(np.float64)
    times[times >= NEVER] = np.inf
    both = times + times.T
    np.fill_diagonal(both, -1.0)  # a stop is its own nearest: the seed of a related removal goes first
    near = np.argsort(both, axis=1, kind="stable").astype(np.int64)
    return Work(
        ratio=np.zeros((n, tours), dtype=np.float64),
        kept=np.zeros((n, tours), dtype=np.float64),
        where=np.zeros((n, tours), dtype=np.int64),
        buf=np.zeros(n + 2, dtype=np.int64),
        old=np.zeros(n + 2, dtype=np.int64),
        mark=np.zeros(n + 2 * arrays.n_tours, dtype=np.int64),
        near=near,
        ctl=ctl,
        params=params,
    )


@compiled
def _ruin(d: Arrays, s: State, w: Work, size: int) -> None:
    """Remove about `size` visits: runs of consecutive visits on some tours, random ones, or neighbours."""
    visits = 0
    for t in range(d.n_tours):
        visits += s.length[t]
    if visits == 0:
        return
    if size > visits:
        size = visits
    kind = np.random.randint(0, 3)
    mark = w.mark
    if kind == 0:
        # Vansteenwegen's shake: consecutive visits from a random place on a tour (wrapping around), on
        # one tour and on each other with probability params[STRING_TOURS].
        chosen = np.random.randint(0, d.n_tours)
        for t in range(d.n_tours):
            length = s.length[t]
            if length == 0 or (t != chosen and np.random.random() >= w.params[STRING_TOURS]):
                continue
            first = np.random.randint(0, length)
            k = min(size, length)
            for q in range(k):
                mark[s.seq[t, 1 + (first + q) % length]] = 1
    elif kind == 1:
        for _ in range(size):
            t = np.random.randint(0, d.n_tours)
            if s.length[t] > 0:
                mark[s.seq[t, 1 + np.random.randint(0, s.length[t])]] = 1
    else:
        t = np.random.randint(0, d.n_tours)
        while s.length[t] == 0:
            t = np.random.randint(0, d.n_tours)
        seed = s.seq[t, 1 + np.random.randint(0, s.length[t])]
        taken = 0
        for q in range(d.n):
            other = w.near[seed, q]
            if s.tour_of[other] >= 0:
                mark[other] = 1
                taken += 1
                if taken >= size:
                    break
    _remove_marked(d, s, mark, w.buf)


@compiled
def _polish(d: Arrays, s: State, t: int, old: I64, span: int) -> bool:
    """Or-opt on tour t with static travel: move a run of 1-3 visits up to `span` places away whenever
    that shortens the travel and the windows still hold. Fewer minutes on the road leave room for one
    more visit. True if the tour changed."""
    times, node, seq = d.times, d.node, s.seq
    changed = False
    improved = True
    while improved:
        improved = False
        length = s.length[t]
        for size in range(1, 4):
            for i in range(1, length - size + 2):
                a = node[seq[t, i - 1]]
                f = node[seq[t, i]]
                g = node[seq[t, i + size - 1]]
                b = node[seq[t, i + size]]
                gain = times[a, f] + times[g, b] - times[a, b]
                if gain <= 0:
                    continue
                low = max(1, i - span)
                high = min(length + 1, i + size + span)
                for j in range(low, high + 1):
                    if i <= j <= i + size:
                        continue
                    p = node[seq[t, j - 1]]
                    q = node[seq[t, j]]
                    if times[p, f] + times[g, q] - times[p, q] >= gain:
                        continue
                    last = length + 1
                    old[: last + 1] = seq[t, : last + 1]
                    # Rebuild the route with the run [i, i + size) moved before old position j.
                    write = 1
                    for k in range(1, last + 1):
                        if k == j:
                            for r in range(size):
                                seq[t, write] = old[i + r]
                                write += 1
                        if i <= k < i + size:
                            continue
                        seq[t, write] = old[k]
                        write += 1
                    if _recompute(d, s, t, min(i, j)):
                        changed = True
                        improved = True
                        break
                    seq[t, : last + 1] = old[: last + 1]
                    _recompute(d, s, t, min(i, j))
        # After a move the scan goes on where it was rather than from the start: cheaper, and any
        # move it skipped is met on the next pass.
    return changed


@compiled
def _used_time(d: Arrays, s: State) -> int:
    total = 0
    for t in range(d.n_tours):
        if s.length[t] > 0:
            last = s.length[t] + 1
            total += s.arr[t, last] - s.start[t, 0]
    return total


@compiled
def start_search(d: Arrays, s: State, best: State, w: Work, seed: int) -> None:
    np.random.seed(seed)
    for t in range(d.n_tours):
        _recompute(d, s, t, 1)
    s.touched[:] = 1
    _fill(d, s, w.ratio, w.where, 0.0, 2.0, 0.0, w.mark, False)
    _copy(s, best)
    w.ctl[:] = 0
    w.kept[:] = w.ratio
    w.ctl[FRESH] = 1


@compiled
def run_search(d: Arrays, s: State, cand: State, best: State, w: Work, iterations: int) -> None:
    """Ruin and recreate with simulated-annealing acceptance and returns to the best.

    params[PROGRESS] and params[PROGRESS_STEP] say how far the search is (0..1) and how much each iteration
    adds, so that the temperature follows the time (or the iteration cap) without reading the clock.
    """
    ctl = w.ctl
    params = w.params
    noise = params[NOISE]
    for k in range(iterations):
        ctl[IT] += 1
        progress = params[PROGRESS] + k * params[PROGRESS_STEP]
        if progress > 1.0:
            progress = 1.0
        temperature = params[TEMPERATURE] * (params[COOLING] ** progress)
        visits = 0
        for t in range(d.n_tours):
            visits += s.length[t]
        most = max(1, min(int(params[RUIN_MOST]), int(params[RUIN_FRACTION] * visits)))
        _copy(s, cand)
        cand.touched[:] = 0 if ctl[FRESH] != 0 else 1
        w.ratio[:] = w.kept
        _ruin(d, cand, w, 1 + np.random.randint(0, most))
        for j in range(d.n):
            if w.mark[j] != 0:
                w.ratio[j, :] = 0.0
        power = params[POWER_LOW] + (params[POWER_HIGH] - params[POWER_LOW]) * np.random.random()
        mix = params[MIX] * np.random.random()
        ban = np.random.random() < params[BAN]
        _fill(d, cand, w.ratio, w.where, noise * np.random.random(), power, mix, w.mark, ban)
        w.mark[:] = 0
        if d.static and params[POLISH_SPAN] > 0:
            polished = False
            for t in range(d.n_tours):
                # The others are as the last polish left them.
                if cand.touched[t] != 0:
                    cand.touched[t] = 0
                    if _polish(d, cand, t, w.old, int(params[POLISH_SPAN])):
                        cand.touched[t] = 1
                        polished = True
            if polished:
                _fill(d, cand, w.ratio, w.where, 0.0, power, mix, w.mark, False)
        delta = cand.totals[0] - s.totals[0]
        accept = False
        if delta == 0:
            # Same score: prefer the plan that gets back earlier, it has more room for the next insertion.
            accept = _used_time(d, cand) <= _used_time(d, s)
        elif delta > 0 or (temperature > 0.0 and np.random.random() < np.exp(delta / temperature)):
            accept = True
        if accept:
            _copy(cand, s)
            w.kept[:] = w.ratio
            ctl[FRESH] = 1
        if s.totals[0] > best.totals[0]:
            _copy(s, best)
            ctl[STALL] = 0
            ctl[BEST_AT] = ctl[IT]
        else:
            ctl[STALL] += 1
        if ctl[STALL] >= params[RESTART_AFTER]:
            _copy(best, s)
            ctl[FRESH] = 0
            ctl[STALL] = 0
            ctl[RESTARTS] += 1
