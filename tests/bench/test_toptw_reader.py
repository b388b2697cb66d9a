"""The TOPTW reader: counts, exact truncated travel times, Tmax, and the files' quirks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import SHARED_DATA
from tripwise.bench.toptw import read_instance, vertex_numbers
from tripwise.core.engine.model import MatrixTravel, Window

TOPTW = SHARED_DATA / "benchmarks" / "toptw"
C101 = TOPTW / "c_r_rc_100_100" / "c101.txt"
PR01 = TOPTW / "pr01_10" / "pr01.txt"


def times(instance_problem_travel: object) -> tuple[tuple[int, ...], ...]:
    assert isinstance(instance_problem_travel, MatrixTravel)
    return instance_problem_travel.times


def test_c101_counts_windows_and_tmax() -> None:
    instance = read_instance(C101, routes=2)
    assert (instance.name, instance.decimals, instance.scale, instance.vertex_count) == ("c101", 1, 10, 100)
    problem = instance.problem
    assert len(problem.stops) == 100
    assert [stop.node for stop in problem.stops] == list(range(1, 101))
    first = problem.stops[0]  # "1 45.00 68.00 90.00 10.00 1 1 1 912 967"
    assert (first.score, first.duration, first.label) == (10, 900, "1")
    assert first.windows == ((Window(9120, 9670),), (Window(9120, 9670),))
    assert len(problem.tours) == 2
    assert all((t.start_node, t.end_node, t.earliest, t.latest) == (0, 0, 0, 12360) for t in problem.tours)


def test_c101_truncated_distances() -> None:
    matrix = times(read_instance(C101, routes=1).problem.travel)
    assert len(matrix) == 101
    assert all(len(row) == 101 for row in matrix)
    # depot (40, 50) to 1 (45, 68): sqrt(349) = 18.681 -> 18.6; to 2 (45, 70): sqrt(425) = 20.615 -> 20.6
    assert matrix[0][1] == 186
    assert matrix[0][2] == 206
    assert matrix[1][2] == 20  # (45, 68) to (45, 70): exactly 2.0
    assert matrix[2][1] == 20
    assert matrix[5][5] == 0


def test_pr01_counts_tmax_and_two_decimals() -> None:
    instance = read_instance(PR01, routes=3)
    assert (instance.name, instance.decimals, instance.scale, instance.vertex_count) == ("pr01", 2, 100, 48)
    problem = instance.problem
    assert len(problem.stops) == 48
    assert len(problem.tours) == 3
    assert problem.tours[0].latest == 100000  # Tmax 1000
    first = problem.stops[0]  # "1 -29.730 64.136 2 12 4 1 15 354 509" (CRLF)
    assert (first.score, first.duration) == (12, 200)
    assert first.windows[0] == (Window(35400, 50900),)
    # depot (-10.442, 19.999) to 1: dx 19.288, dy 44.137, sqrt(2320.102113) = 48.1674 -> 48.16
    assert times(problem.travel)[0][1] == 4816


def test_decimals_override() -> None:
    instance = read_instance(PR01, routes=1, decimals=1)
    assert instance.scale == 10
    assert times(instance.problem.travel)[0][1] == 481


def write(tmp_path: Path, name: str, text: str, newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("ascii"))
    return path


SMALL = """4 2
3 1
0 200
 0 0.00 0.00 0.00 0.00 0 0 0 100
 1 3.00 4.00 10.00 7.00 1 2 1 2 5 60
 2 0.30 0.40 0.00 3.00 1 1 1 0 90
 3 1.00 1.00 5.00 4.00 1 0 10 20
"""


def test_split_header_and_exact_truncation(tmp_path: Path) -> None:
    instance = read_instance(write(tmp_path, "split.txt", SMALL), routes=1, decimals=2)
    assert instance.vertex_count == 3
    stops = instance.problem.stops
    assert [(s.node, s.score, s.duration) for s in stops] == [(1, 7, 1000), (2, 3, 0), (3, 4, 500)]
    assert stops[0].windows == ((Window(500, 6000),),)  # O and C are the last two tokens after a 2-item list
    assert stops[2].windows == ((Window(1000, 2000),),)  # a = 0: no list
    matrix = times(instance.problem.travel)
    assert matrix[0][1] == 500  # 5.00 exactly: a float sqrt must not make it 4.99
    assert matrix[0][2] == 50  # 0.50 exactly
    assert matrix[0][3] == 141  # sqrt(2) = 1.4142 -> 1.41
    assert matrix[1][2] == 450  # (3, 4) to (0.3, 0.4): 4.5 exactly


def test_crlf_and_missing_d(tmp_path: Path) -> None:
    text = SMALL.replace("4 2\n3 1\n0 200\n", "4 2 3 1\n200\n")
    instance = read_instance(write(tmp_path, "crlf.txt", text, newline="\r\n"), routes=2, decimals=2)
    assert instance.vertex_count == 3
    assert instance.problem.tours[1].latest == 10000


def test_vertex_numbers() -> None:
    instance = read_instance(PR01, routes=2)
    assert vertex_numbers(instance, [[0, 4, 47], []]) == [[1, 5, 48], []]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.txt"):
        read_instance(tmp_path / "nope.txt", routes=1)


def test_value_not_whole_at_scale(tmp_path: Path) -> None:
    path = write(tmp_path, "c999.txt", SMALL.replace("5.00 4.00 1 0 10 20", "5.05 4.00 1 0 10 20"))
    with pytest.raises(ValueError, match=r"c999\.txt: vertex 3: duration 5.05"):
        read_instance(path, routes=1)  # Solomon scale: tenths


@pytest.mark.parametrize(
    "text",
    [
        "",
        "4 2 x 1\n0 200\n",
        SMALL.replace("3 1\n", "4 1\n"),  # N says 4, the file has 3
        SMALL + " 4 1 1 1 1 1 0 1 2\n",  # one vertex too many
        SMALL.replace(" 2 0.30", " 7 0.30"),  # vertices out of order
        SMALL.replace("1.00 1.00", "1.00 abc"),
    ],
)
def test_malformed(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError, match=r"bad\.txt"):
        read_instance(write(tmp_path, "bad.txt", text), routes=1)
