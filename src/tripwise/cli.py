"""The `tripwise` command. Each subcommand parses its arguments and calls one service or selector.

Errors the user can act on (TripwiseError) print their message and exit with status 2: never a stack trace.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tripwise.bench.cli import add_bench_parser
from tripwise.core.errors import TripwiseError

Handler = Callable[[argparse.Namespace], int]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")
    # Commands run here sign nothing that outlives the process, so without a configured secret a one-off
    # random one will do. The web server (WSGI/ASGI) still refuses to start without TRIPWISE_SECRET_KEY.
    os.environ.setdefault("TRIPWISE_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tripwise manage", *args.django_args])
    return 0


def cmd_import_gtfs(args: argparse.Namespace) -> int:
    from tripwise.transit.services import feed_import

    report = feed_import(
        path=Path(args.path), destination_name=args.destination, feed_name=args.name, progress=_progress
    )
    print(report.as_text())
    return 0


def cmd_import_osm(args: argparse.Namespace) -> int:
    from tripwise.places.osm_import import places_import_osm

    report = places_import_osm(path=Path(args.path), destination_name=args.destination, progress=_progress)
    print(report.as_text())
    return 0


def cmd_places_export(args: argparse.Namespace) -> int:
    from tripwise.places.selectors import places_export

    rows = places_export(destination_name=args.destination)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for row in rows:
            print(
                f"{row['id']}\t{row['name']}\t{row['lat']:.5f},{row['lon']:.5f}\t{row['opening_hours'] or '-'}"
            )
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from tripwise.core.trips.request import parse_request
    from tripwise.trips.services import plan_create, plan_document

    try:
        text = sys.stdin.read() if args.request == "-" else Path(args.request).read_text(encoding="utf-8")
        data = json.loads(text)
    except OSError as error:
        raise TripwiseError("bad_request_file", f"Cannot read {args.request}: {error.strerror}.") from None
    except json.JSONDecodeError as error:
        raise TripwiseError(
            "bad_request_file",
            f"{args.request} is not JSON ({error.msg} at line {error.lineno}): see docs/plans.md.",
        ) from None
    if args.save:
        plan = plan_create(request=data)
        document = {**plan.result, "revision": plan.revision}
    else:
        _destination, document = plan_document(trip=parse_request(data))
    if args.json:
        json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(plan_as_text(document))
    return 0 if document["check"]["ok"] else 1


def plan_as_text(document: dict[str, Any]) -> str:
    lines = []
    for day in document["days"]:
        lines.append(f"{day['weekday']} {day['date']}")
        for item in day["items"]:
            if item["type"] == "visit":
                meal = f" ({item['meal']})" if item.get("meal") else ""
                lines.append(f"  {item['start'][11:16]}-{item['end'][11:16]}  {item['name']}{meal}")
            else:
                rides = "; ".join(
                    f"{ride['route']} {ride['from_stop_name']} {ride['depart'][11:16]} -> "
                    f"{ride['to_stop_name']} {ride['arrive'][11:16]}"
                    for ride in item.get("rides", [])
                )
                lines.append(
                    f"  {item['depart'][11:16]}-{item['arrive'][11:16]}    {item['mode']} {rides}".rstrip()
                )
    for entry in document["unscheduled"]:
        lines.append(f"Not planned: {entry['name']}: {entry['reason']}")
    verdict = (
        "checked: keeps every rule" if document["check"]["ok"] else "; ".join(document["check"]["problems"])
    )
    lines.append(f"Plan {verdict}.")
    return "\n".join(lines)


def cmd_understand(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from tripwise.assistant.selectors import understand_text

    today = _date(args.today) if args.today else timezone.localdate()
    understood = understand_text(text=args.text, today=today)
    if args.json:
        json.dump(understood.request, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for chip in understood.chips:
            print(f"{chip.field}: {json.dumps(chip.value, ensure_ascii=False)}  (from: {chip.evidence})")
    return 0


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise TripwiseError("bad_date", f"--today {text!r} is not a date: write YYYY-MM-DD.") from None


def cmd_mcp(args: argparse.Namespace) -> int:
    from tripwise.assistant.mcp_server import run

    run(http=args.http, host=args.host, port=args.port)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from tripwise.config.worker import run

    run(interval_s=args.interval, once=args.once, say=_progress)
    return 0


def cmd_demo_load(args: argparse.Namespace) -> int:
    from tripwise.demo import demo_load

    report = demo_load(path=Path(args.path), progress=_progress)
    print(report)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tripwise", description="Travel plans that keep to the real rules.")
    sub = parser.add_subparsers(dest="command", required=True)

    manage = sub.add_parser("manage", help="run a Django management command (migrate, createsuperuser, ...)")
    manage.add_argument("django_args", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)

    importer = sub.add_parser("import", help="import a GTFS feed or an OpenStreetMap extract")
    kinds = importer.add_subparsers(dest="kind", required=True)
    gtfs = kinds.add_parser("gtfs", help="import a GTFS feed (.zip or folder)")
    gtfs.add_argument("path")
    gtfs.add_argument("--destination", required=True, help="destination name, slug or alias; created if new")
    gtfs.add_argument("--name", help="feed name (default: the file name); re-importing a name replaces it")
    gtfs.set_defaults(handler=cmd_import_gtfs)
    osm = kinds.add_parser("osm", help="import the places of an OpenStreetMap extract (.osm.pbf, .osm)")
    osm.add_argument("path")
    osm.add_argument("--destination", required=True, help="destination name, slug or alias; created if new")
    osm.set_defaults(handler=cmd_import_osm)

    places = sub.add_parser("places", help="places")
    place_cmds = places.add_subparsers(dest="action", required=True)
    export = place_cmds.add_parser("export", help="print places")
    export.add_argument(
        "--json", action="store_true", help="a JSON array (id, name, lat, lon, timezone, ...)"
    )
    export.add_argument("--destination", help="only this destination (name, slug or alias)")
    export.set_defaults(handler=cmd_places_export)

    plan = sub.add_parser("plan", help="plan a trip from a trip request (JSON, docs/plans.md)")
    plan.add_argument("--request", required=True, help="the trip request file, or - for stdin")
    plan.add_argument("--json", action="store_true", help="print the plan document as JSON")
    plan.add_argument("--save", action="store_true", help="also store the plan (its id reads it back)")
    plan.set_defaults(handler=cmd_plan)

    understand = sub.add_parser(
        "understand", help="read a trip request written in plain words (English, Russian)"
    )
    understand.add_argument("text")
    understand.add_argument("--today", help="the date the words are relative to, YYYY-MM-DD (default: today)")
    understand.add_argument(
        "--json", action="store_true", help="print the trip request (docs/plans.md) as JSON"
    )
    understand.set_defaults(handler=cmd_understand)

    mcp = sub.add_parser("mcp", help="serve Tripwise's tools to AI clients over MCP (stdio, or --http)")
    mcp.add_argument("--http", action="store_true", help="streamable HTTP at http://HOST:PORT/mcp, not stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="HTTP address to listen on (default 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    mcp.set_defaults(handler=cmd_mcp)

    worker = sub.add_parser(
        "worker",
        help="run the background jobs: send emails, release expired holds, send waiting applications",
    )
    worker.add_argument("--once", action="store_true", help="one pass, then exit (cron)")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between passes (default 5)")
    worker.set_defaults(handler=cmd_worker)

    demo = sub.add_parser("demo", help="the demo destination")
    demo_cmds = demo.add_subparsers(dest="action", required=True)
    load = demo_cmds.add_parser("load", help="load (or refresh) the demo destination from data/demo")
    load.add_argument("--path", default=str(Path(__file__).resolve().parents[2] / "data" / "demo"))
    load.set_defaults(handler=cmd_demo_load)

    add_bench_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        if getattr(args, "needs_django", True):  # the benchmark and other core-only commands skip it
            _setup_django()
    except ImproperlyConfigured as error:
        print(f"tripwise: the configuration is not valid: {error}", file=sys.stderr)
        return 2
    handler: Handler = args.handler
    try:
        return handler(args)
    except TripwiseError as error:
        print(f"tripwise: {error.message}", file=sys.stderr)
        return 2
    except DatabaseError as error:
        print(
            f"tripwise: the database cannot be used ({error}). If it is new, set it up with"
            " `tripwise manage migrate` (or `make demo`); check DATABASE_URL otherwise.",
            file=sys.stderr,
        )
        return 2
    except BrokenPipeError:  # `tripwise places export --json | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("tripwise: interrupted; nothing was written by an unfinished import.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
