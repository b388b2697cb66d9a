"""Read TOPTW instance files (the KU Leuven distribution of the Solomon and Cordeau instances).

Format (see TOPTW_format.txt): `k v N t`, then `D Q` (D is missing in some files), then per vertex
`i x y d S f a list O C` where `list` has `a` items. Read as tokens, never as lines: some headers are split
over two lines, and the `pr*` files have CRLF ends.

Times become integers in units of 10^-decimals of the file's time unit (decimals = 1 for Solomon, 2 for
Cordeau), and travel times are the Euclidean distance TRUNCATED to that many decimals, computed exactly with
integers: a float sqrt may give 4.999999 for 5 and truncate it to 4.9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tripwise.core.engine.model import MatrixTravel, Problem, Stop, Tour, Window

HEADER_TOKENS = 4  # k v N t
FIELDS_BEFORE_LIST = 7  # i x y d S f a


@dataclass(frozen=True)
class ToptwInstance:
    name: str  # the file name without extension: "c101", "pr01"
    path: Path
    decimals: int  # travel times truncated to this many decimals
    scale: int  # 10 ** decimals: one file time unit in engine units
    vertex_count: int  # N: customers, vertex 0 (the depot) not counted
    problem: Problem


@dataclass(frozen=True)
class _Vertex:
    number: int
    x: Decimal
    y: Decimal
    duration: Decimal
    score: Decimal
    open: Decimal
    close: Decimal


def default_decimals(name: str) -> int:
    """2 for the Cordeau `pr*` files, 1 for the Solomon ones: the literature's convention."""
    return 2 if name.lower().startswith("pr") else 1


def read_instance(path: Path, *, routes: int, decimals: int | None = None) -> ToptwInstance:
    """Read one TOPTW file for `routes` tours. Raises FileNotFoundError or ValueError naming the file."""
    path = Path(path)
    if routes < 1:
        raise ValueError(f"routes must be at least 1, not {routes}")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such TOPTW instance file")
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not a TOPTW text file ({error})") from None
    name = path.stem
    if decimals is None:
        decimals = default_decimals(name)
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, not {decimals}")
    scale = 10**decimals
    vertices = _parse(path, text.split())
    depot = vertices[0]

    def units(value: Decimal, what: str, vertex: int) -> int:
        scaled = value * scale
        if scaled != scaled.to_integral_value():
            raise ValueError(
                f"{path}: vertex {vertex}: {what} {value} is not a whole number of 1/{scale} time units"
            )
        return int(scaled)

    stops = []
    for vertex in vertices[1:]:
        number = vertex.number
        score = vertex.score
        if score != score.to_integral_value() or score < 0:
            raise ValueError(f"{path}: vertex {number}: score {score} is not a whole number >= 0")
        open_, close = units(vertex.open, "opening", number), units(vertex.close, "closing", number)
        if close < open_:
            raise ValueError(f"{path}: vertex {number}: window closes ({vertex.close}) before it opens")
        window = Window(open_, close)
        stops.append(
            Stop(
                node=number,
                score=int(score),
                duration=units(vertex.duration, "duration", number),
                windows=((window,),) * routes,
                label=str(number),
            )
        )
    earliest, latest = units(depot.open, "opening", 0), units(depot.close, "Tmax", 0)
    if latest < earliest:
        raise ValueError(f"{path}: vertex 0: Tmax ({depot.close}) is before the start ({depot.open})")
    tours = (Tour(0, 0, earliest, latest),) * routes
    problem = Problem(stops=tuple(stops), tours=tours, travel=MatrixTravel(_travel_times(vertices, decimals)))
    return ToptwInstance(
        name=name, path=path, decimals=decimals, scale=scale, vertex_count=len(vertices) - 1, problem=problem
    )


def vertex_numbers(instance: ToptwInstance, routes: list[list[int]]) -> list[list[int]]:
    """Engine routes (stop indices) as the file's vertex numbers, in visit order, without the depot."""
    stops = instance.problem.stops
    return [[stops[index].node for index in route] for route in routes]


def _parse(path: Path, tokens: list[str]) -> list[_Vertex]:
    if len(tokens) < HEADER_TOKENS:
        raise ValueError(f"{path}: too short for a TOPTW file (no `k v N t` header)")
    try:
        count = int(tokens[2])
    except ValueError:
        raise ValueError(
            f"{path}: the header's third value N should be a whole number, not {tokens[2]!r}"
        ) from None
    if count < 1:
        raise ValueError(f"{path}: the header says N = {count} vertices; at least 1 is needed")
    # The `D Q` line has 2 values, or 1 where D is missing: the right one is the one after which
    # vertex records 0..N use up exactly every remaining token.
    failures: list[str] = []
    for second_line in (2, 1):
        try:
            return _parse_vertices(path, tokens, HEADER_TOKENS + second_line, count)
        except ValueError as error:
            failures.append(str(error))
    raise ValueError(failures[0])


def _parse_vertices(path: Path, tokens: list[str], start: int, count: int) -> list[_Vertex]:
    vertices = []
    position = start
    for expected in range(count + 1):
        fields = tokens[position : position + FIELDS_BEFORE_LIST]
        if len(fields) < FIELDS_BEFORE_LIST:
            raise ValueError(f"{path}: the file ends inside vertex {expected} (the header says N = {count})")
        if fields[0] != str(expected):
            raise ValueError(f"{path}: expected vertex {expected}, found {fields[0]!r}")
        try:
            list_length = int(fields[6])
        except ValueError:
            raise ValueError(f"{path}: vertex {expected}: the list length `a` is {fields[6]!r}") from None
        if list_length < 0:
            raise ValueError(f"{path}: vertex {expected}: negative list length {list_length}")
        end = position + FIELDS_BEFORE_LIST + list_length + 2
        if end > len(tokens):
            raise ValueError(f"{path}: the file ends inside vertex {expected} (the header says N = {count})")
        try:
            x, y, duration, score = (Decimal(token) for token in fields[1:5])
            open_, close = Decimal(tokens[end - 2]), Decimal(tokens[end - 1])
        except InvalidOperation:
            raise ValueError(f"{path}: vertex {expected}: a value is not a number") from None
        if not all(value.is_finite() for value in (x, y, duration, score, open_, close)):
            raise ValueError(f"{path}: vertex {expected}: a value is not a finite number")
        if duration < 0:
            raise ValueError(f"{path}: vertex {expected}: negative duration {duration}")
        vertices.append(_Vertex(expected, x, y, duration, score, open_, close))
        position = end
    if position != len(tokens):
        raise ValueError(
            f"{path}: {len(tokens) - position} values after vertex {count} (the header says N = {count})"
        )
    return vertices


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _travel_times(vertices: list[_Vertex], decimals: int) -> tuple[tuple[int, ...], ...]:
    """floor(distance * 10^decimals), exactly: isqrt of the integer squared distance, suitably scaled."""
    places = max(max(_places(v.x), _places(v.y)) for v in vertices)
    factor = 10**places
    xs = [int(v.x * factor) for v in vertices]
    ys = [int(v.y * factor) for v in vertices]
    # distance^2 = q / 10^(2 places); floor(sqrt(x)) == isqrt(floor(x)) for x >= 0.
    up, down = 10 ** (2 * decimals), 10 ** (2 * places)
    rows = []
    for i in range(len(vertices)):
        row = []
        for j in range(len(vertices)):
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            row.append(math.isqrt((dx * dx + dy * dy) * up // down))
        rows.append(tuple(row))
    return tuple(rows)
