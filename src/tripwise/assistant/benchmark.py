"""Benchmark: how well the offline understanding reads the development sets: trip requests
(data/understand/dev.jsonl) and what travellers say about a plan they have (data/understand/refine.jsonl).

    python -m tripwise.assistant.benchmark [--out FILE.md] [--show-misses]

Builds a throw-away SQLite database with the Astana demo and Helsinki's OpenStreetMap places (what the
requests name), reads every request, and reports per field how many expected values came out right, how many
requests came out entirely right, how many fields were said that the request did not settle (extra), and the
median and 95th percentile time of one understanding. Needs ../shared/data/cities/helsinki for Helsinki.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
DEV_SET = REPO / "data" / "understand" / "dev.jsonl"
REFINE_SET = REPO / "data" / "understand" / "refine.jsonl"
HELSINKI = REPO.parent / "shared" / "data" / "cities" / "helsinki" / "helsinki-centre.osm.pbf"


def same(field: str, got: Any, expected: Any) -> bool:
    """Whether an understood value is the expected one (lists in any order, amounts as numbers)."""
    if got is None:
        return False
    if field == "budget":
        return bool(
            got.get("currency") == expected.get("currency")
            and Decimal(str(got.get("amount"))) == Decimal(str(expected.get("amount")))
        )
    if isinstance(expected, list):
        return isinstance(got, list) and sorted(got) == sorted(expected)
    return bool(got == expected)


def score(cases: list[dict[str, Any]], understand: Any) -> dict[str, Any]:
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    whole = 0
    timings: list[float] = []
    misses: list[str] = []
    for case in cases:
        started = time.perf_counter()
        got = understand(case["text"], date.fromisoformat(case["today"]))
        timings.append(time.perf_counter() - started)
        expected = case["expected"]
        ok = True
        for field, value in expected.items():
            asked[field] += 1
            if same(field, got.get(field), value):
                right[field] += 1
            else:
                ok = False
                misses.append(f"{field}: got {got.get(field)!r}, expected {value!r}  <- {case['text']}")
        for field in got:
            if field not in expected:
                extra[field] += 1
        whole += ok
    return {
        "requests": len(cases),
        "fields_right": f"{sum(right.values())}/{sum(asked.values())}",
        "fields_share": round(sum(right.values()) / max(1, sum(asked.values())), 3),
        "requests_right": f"{whole}/{len(cases)}",
        "requests_share": round(whole / max(1, len(cases)), 3),
        "per_field": {field: f"{right[field]}/{asked[field]}" for field in sorted(asked)},
        "extra_fields": dict(sorted(extra.items())),
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(sorted(timings)[int(0.95 * (len(timings) - 1))] * 1000, 2),
        "misses": misses,
    }


def read_as_expected(got: Any) -> dict[str, Any]:
    """A refine.Message in the form the refinement set writes its expectations."""
    read: dict[str, Any] = {"kind": got.kind}
    if got.changes:
        read["changes"] = [dict(change) for change in got.changes]
    if got.swap is not None:
        read["swap"] = list(got.swap)
    if got.cheaper:
        read["cheaper"] = True
    if got.question is not None:
        day = got.question.day.isoformat() if got.question.day else None
        read["question"] = {"topic": got.question.topic, "place": got.question.place, "day": day}
    return read


def score_refinements(cases: list[dict[str, Any]], read: Any) -> dict[str, Any]:
    """Messages read entirely right (kind, every change, the swap, cheaper, the question), per kind."""
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    timings: list[float] = []
    misses: list[str] = []
    for case in cases:
        started = time.perf_counter()
        got = read_as_expected(read(case["text"], date.fromisoformat(case["today"]), case["trip"]))
        timings.append(time.perf_counter() - started)
        expected = case["expected"]
        asked[expected["kind"]] += 1
        if got == expected:
            right[expected["kind"]] += 1
        else:
            misses.append(f"got {got!r}, expected {expected!r}  <- {case['text']}")
    return {
        "messages": len(cases),
        "messages_right": f"{sum(right.values())}/{len(cases)}",
        "messages_share": round(sum(right.values()) / max(1, len(cases)), 3),
        "per_kind": {kind: f"{right[kind]}/{asked[kind]}" for kind in sorted(asked)},
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "misses": misses,
    }


def refinement_reader() -> Any:
    from tripwise.assistant.selectors import place_names
    from tripwise.core.trips.request import parse_request
    from tripwise.core.understand.refine import read_message
    from tripwise.places.models import Destination

    names = {d.slug: (place_names(destination=d), d.currency) for d in Destination.objects.all()}

    def read(text: str, today: date, trip: dict[str, Any]) -> Any:
        places, currency = names[trip["destination"]]
        return read_message(text, today=today, request=parse_request(trip), places=places, currency=currency)

    return read


CONVERSATION = (
    "make day 2 more relaxed",
    "swap the days",
    "add Khan Shatyr",
    "is ALZHIR open on Monday?",
    "when is the last bus back from ALZHIR?",
    "we arrive at 14:00 on the first day",
    "cheaper",
    "undo",
    "what if we go on Saturday?",
)


def time_conversations(rounds: int = 3) -> dict[str, Any]:
    """Seconds per turn of a whole conversation on the Astana demo (planning included), median by kind."""
    from tripwise.assistant.services import conversation_say, conversation_start

    by_kind: dict[str, list[float]] = {}
    for _ in range(rounds):
        started = time.perf_counter()
        conversation = conversation_start(
            text="two days in Astana next week, we love history, no car, must see ALZHIR",
            today=date(2026, 11, 28),
        )
        by_kind.setdefault("request", []).append(time.perf_counter() - started)
        for text in CONVERSATION:
            started = time.perf_counter()
            turn = conversation_say(conversation=conversation, text=text)
            by_kind.setdefault(turn.kind, []).append(time.perf_counter() - started)
    return {
        kind: f"{statistics.median(times) * 1000:.0f} ms ({len(times)})" for kind, times in by_kind.items()
    }


def machine() -> str:
    from tripwise.bench.table import machine as describe

    return describe()


def _setup(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'understand.sqlite3'}"
    os.environ.setdefault("TRIPWISE_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tripwise.demo import demo_load
    from tripwise.places.osm_import import places_import_osm

    call_command("migrate", verbosity=0)
    demo_load(path=REPO / "data" / "demo")
    if HELSINKI.exists():
        places_import_osm(path=HELSINKI, destination_name="Helsinki")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=Path, default=DEV_SET)
    parser.add_argument("--refinements", type=Path, default=REFINE_SET)
    parser.add_argument("--out", type=Path, help="also write the table as markdown here")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="tripwise-understand-") as folder:
        _setup(Path(folder))
        from tripwise.assistant.selectors import understand_text

        understand_text(text="warm up", today=date(2026, 1, 1))
        result = score(cases, lambda text, today: understand_text(text=text, today=today).request)
        refine_cases = [json.loads(line) for line in args.refinements.read_text("utf-8").splitlines() if line]
        refined = score_refinements(refine_cases, refinement_reader())
        refined["turns"] = time_conversations()
    misses = result.pop("misses") + refined.pop("misses")
    print(json.dumps(result, ensure_ascii=False))
    print(json.dumps(refined, ensure_ascii=False))
    if args.show_misses:
        print("\n".join(misses), file=sys.stderr)
    if args.out:
        rows = [f"| {field} | {value} |" for field, value in result["per_field"].items()]
        args.out.write_text(
            "# Understanding the development set\n\n"
            f"Measured {datetime.now(UTC):%Y-%m-%d} on {machine()}.\n\n"
            f"{result['requests']} requests; fields right {result['fields_right']} ({result['fields_share']:.1%}),"
            f" requests entirely right {result['requests_right']} ({result['requests_share']:.1%});"
            f" median {result['median_ms']} ms, p95 {result['p95_ms']} ms per request.\n\n"
            "| field | right |\n| --- | --- |\n" + "\n".join(rows) + "\n\n"
            f"Extra fields (said, not expected): {result['extra_fields']}\n\n"
            "## Refinements and questions about a plan (data/understand/refine.jsonl)\n\n"
            f"{refined['messages']} messages; entirely right {refined['messages_right']}"
            f" ({refined['messages_share']:.1%}); median {refined['median_ms']} ms per message.\n\n"
            "| kind | right |\n| --- | --- |\n"
            + "\n".join(f"| {kind} | {value} |" for kind, value in refined["per_kind"].items())
            + "\n\nA whole conversation on the Astana demo (planning included), median time per turn by kind"
            " (turns timed): "
            + ", ".join(f"{kind} {value}" for kind, value in refined["turns"].items())
            + ".\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
