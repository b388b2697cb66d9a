"""The bench command's JSON shape, the OR-Tools baseline, and the table's summary arithmetic."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from tests.bench.test_toptw_reader import C101, PR01
from tests.paths import REPO
from tripwise.bench.cli import add_bench_parser
from tripwise.bench.runner import BenchResult, run_ortools
from tripwise.bench.table import gap, set_of, summarize, summary_markdown
from tripwise.bench.toptw import read_instance
from tripwise.core.engine.checker import check

FIXED_KEYS = ["instance", "routes", "score", "tours", "seconds"]


def bench(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tripwise")
    add_bench_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    assert args.needs_django is False
    code: int = args.handler(args)
    return code


def assert_valid_answer(line: str, *, instance: str, routes: int, customers: int) -> dict[str, object]:
    answer: dict[str, object] = json.loads(line)
    assert list(answer)[:5] == FIXED_KEYS
    assert answer["instance"] == instance
    assert answer["routes"] == routes
    tours = answer["tours"]
    assert isinstance(tours, list)
    assert len(tours) == routes
    visited = [vertex for tour in tours for vertex in tour]
    assert all(isinstance(vertex, int) and 1 <= vertex <= customers for vertex in visited)
    assert len(visited) == len(set(visited))
    assert isinstance(answer["score"], int)
    assert isinstance(answer["seconds"], float | int)
    assert answer["feasible"] is True
    return answer


@pytest.mark.parametrize("solver", ["tripwise", "ortools"])
def test_cli_prints_the_fixed_json_shape(solver: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["bench", "toptw", str(C101), "--routes", "2", "--time-limit", "0.2", "--json", "--solver", solver]
    assert bench(argv) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1
    answer = assert_valid_answer(lines[0], instance="c101", routes=2, customers=100)
    assert answer["solver"] == solver
    # The score is that of the vertices listed, from the file's own scores.
    instance = read_instance(C101, routes=2)
    tours = answer["tours"]
    assert isinstance(tours, list)
    assert answer["score"] == sum(instance.problem.stops[v - 1].score for tour in tours for v in tour)
    assert "c101" in err
    if solver == "tripwise":
        assert "warm" in err


def test_cli_readable_line_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "bench",
        "toptw",
        str(C101),
        str(PR01),
        "--routes",
        "1",
        "--time-limit",
        "0.2",
        "--solver",
        "ortools",
    ]
    assert bench(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["c101", "pr01"]
    assert all("feasible" in line for line in lines)


def test_cli_refuses_a_missing_file(tmp_path: object) -> None:
    from tripwise.core.errors import TripwiseError

    with pytest.raises(TripwiseError, match="no such TOPTW instance file"):
        bench(["bench", "toptw", "/nonexistent/c999.txt", "--routes", "1", "--time-limit", "0.2"])


def test_tripwise_command_runs_bench_without_django() -> None:
    from tripwise.cli import build_parser

    commands: dict[str, object] = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr, assignment]
    if "bench" not in commands:
        pytest.skip("`bench` is not wired into tripwise.cli yet")
    # Settings that cannot load: were django.setup() called, the command would fail.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "no_such_settings_module"}
    argv = [
        "bench",
        "toptw",
        str(C101),
        "--routes",
        "1",
        "--time-limit",
        "0.2",
        "--json",
        "--solver",
        "ortools",
    ]
    completed = subprocess.run(
        [sys.executable, "-m", "tripwise.cli", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert_valid_answer(completed.stdout.strip(), instance="c101", routes=1, customers=100)


def test_ortools_baseline_is_feasible_on_a_small_instance() -> None:
    instance = read_instance(PR01, routes=2)
    result = run_ortools(instance, time_limit=0.5)
    assert result.solver == "ortools"
    assert result.feasible, result.violations
    assert result.score > 0
    routes = [[vertex - 1 for vertex in tour] for tour in result.tours]
    verdict = check(instance.problem, routes)
    assert verdict.feasible
    assert verdict.score == result.score


def fake(
    instance: str, routes: int, solver: str, score: int, seconds: float, feasible: bool = True
) -> BenchResult:
    return BenchResult(instance, routes, solver, score, ((),) * routes, seconds, feasible)


def test_summary_arithmetic() -> None:
    bks = {("c101", 1): 320, ("r101", 1): 200, ("pr01", 1): 300, ("pr01", 2): 500, ("pr02", 2): 700}
    results = [
        fake("c101", 1, "tripwise", 320, 1.0),
        fake("c101", 1, "ortools", 288, 2.0),  # 10 %
        fake("r101", 1, "tripwise", 190, 2.0),  # 5 %
        fake("r101", 1, "ortools", 150, 2.5, feasible=False),  # 25 %
        fake("pr01", 1, "tripwise", 297, 0.5),  # 1 %
        fake("pr01", 2, "tripwise", 450, 1.5),  # 10 %
        fake("pr02", 2, "tripwise", 693, 1.0),  # 1 %
        fake("c101", 2, "tripwise", 500, 1.0),  # no best-known
        fake("r101", 2, "tripwise", 400, 3.0),
    ]
    rows = {(row.set_name, row.routes, row.solver): row for row in summarize(results, bks)}
    assert list(rows) == [
        ("Solomon", 1, "tripwise"),
        ("Solomon", 1, "ortools"),
        ("Cordeau", 1, "tripwise"),
        ("Cordeau", 2, "tripwise"),
        ("Solomon", 2, "tripwise"),
    ]
    solomon = rows[("Solomon", 1, "tripwise")]
    assert solomon.count == 2
    assert solomon.average_gap == pytest.approx(2.5)
    assert solomon.worst_gap == pytest.approx(5.0)
    assert (solomon.mean_seconds, solomon.max_seconds, solomon.infeasible) == (1.5, 2.0, 0)
    baseline = rows[("Solomon", 1, "ortools")]
    assert baseline.average_gap == pytest.approx(17.5)
    assert baseline.worst_gap == pytest.approx(25.0)
    assert baseline.infeasible == 1
    assert baseline.mean_seconds == pytest.approx(2.25)
    no_bks = rows[("Solomon", 2, "tripwise")]
    assert (no_bks.average_gap, no_bks.worst_gap, no_bks.average_score) == (None, None, 450.0)
    assert no_bks.max_seconds == 3.0
    cordeau = rows[("Cordeau", 2, "tripwise")]
    assert cordeau.average_gap == pytest.approx(5.5)
    assert cordeau.worst_gap == pytest.approx(10.0)
    markdown = summary_markdown(list(rows.values()))
    assert len(markdown) == 2 + 5
    assert "| Solomon | 2 | tripwise | 2 | - | - |" in markdown[6]


def test_gap_and_sets() -> None:
    assert gap(320, 320) == 0
    assert gap(300, 400) == pytest.approx(25.0)
    assert (set_of("pr07"), set_of("rc101"), set_of("c101")) == ("Cordeau", "Solomon", "Solomon")
