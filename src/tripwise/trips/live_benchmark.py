"""How fast a change reaches the open pages of a trip: `python -m tripwise.trips.live_benchmark`.

It serves Tripwise with uvicorn in a subprocess (a throw-away SQLite database with the demo loaded), opens
50 WebSocket listeners on one plan, POSTs one change a second through the plan page's form for 20 changes,
and measures, for every listener and change, the time from the moment the change was committed and sent
(the event carries it) to the moment the listener received it. It runs twice: with the in-memory channel
layer (one server process), and with Redis and two server processes, half the listeners on each and the
changes posted to the first (the production set-up). The table goes to docs/benchmarks/live-latest.md.

The helpers that start a server and make a trip are also what the live tests use
(tests/trips/test_live_two_processes.py, tests/browser/test_live_in_chromium.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.cookiejar
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "PageClient",
    "demo_trip",
    "free_port",
    "prepare_database",
    "redis_reachable",
    "serve",
    "trip_in",
]

BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 180.0  # seconds: a cold start compiles the planner (numba) on a slow, busy machine
REQUEST = {"destination": "astana", "start_date": "2026-12-01", "days": 2, "base": "asia-park"}


def free_port() -> int:
    # The port is free when asked; another program could take it before the server binds, which on a test
    # machine is rare enough, and the server's failure to start says so plainly.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def redis_reachable(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _tripwise(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "tripwise"), *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"tripwise {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare_database(path: Path) -> dict[str, str]:
    """A SQLite database at `path`, migrated, with the demo loaded; returns the environment that serves it."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "TRIPWISE_DEBUG": "1"}
    env.pop("TRIPWISE_REDIS_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest; the server is async-safe
    _tripwise(env, "manage", "migrate", "--noinput", "-v", "0")
    _tripwise(env, "demo", "load")
    return env


def demo_trip(*, owner: str = "", editors: Sequence[str] = (), password: str = "") -> dict[str, Any]:
    """Inside Django: a two-day Astana plan, owned by `owner` (no owner: unclaimed, anyone with its id may
    edit it), shared with `editors`, and a signed-in session for each of them (verified email addresses,
    as allauth requires). Returns {"plan": public_id, "sessions": {email: session key}}."""
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    from tripwise.trips.models import Membership
    from tripwise.trips.services import plan_create

    plan = plan_create(request=REQUEST)
    sessions: dict[str, str] = {}
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for index, email in enumerate([owner, *editors] if owner else list(editors)):
        user = User.objects.create_user(email.split("@")[0], email, password or None)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if index == 0 and owner:
            plan.owner = user
            plan.save(update_fields=["owner"])
        else:
            Membership.objects.create(plan=plan, user=user, role="editor")
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions[email] = str(session.session_key)
    return {"plan": plan.public_id, "sessions": sessions}


def trip_in(env: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    """`demo_trip(**kwargs)` run in the database that `env` serves (through `tripwise manage shell`)."""
    code = (
        "import json; from tripwise.trips.live_benchmark import demo_trip; "
        f"print('TRIP ' + json.dumps(demo_trip(**json.loads({json.dumps(json.dumps(kwargs))}))))"
    )
    out = _tripwise(env, "manage", "shell", "-c", code)
    line = next(line for line in reversed(out.splitlines()) if line.startswith("TRIP "))
    trip: dict[str, Any] = json.loads(line.removeprefix("TRIP "))
    return trip


@contextlib.contextmanager
def serve(env: dict[str, str], *, log_dir: Path, name: str = "server") -> Iterator[str]:
    """Serve Tripwise (HTTP and WebSockets) with uvicorn until the block ends; yields its base URL. The
    process is always stopped, and its log is kept in `log_dir` to explain a failure."""
    port = free_port()
    log_path = log_dir / f"{name}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(BIN / "uvicorn"),
                "tripwise.config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--lifespan",
                "off",
                "--no-access-log",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(base, process, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


def _wait_until_serving(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped on start:\n{log_path.read_text(errors='replace')}")
        try:
            with opener.open(f"{base}/", timeout=10):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)  # not listening yet: poll again
    raise RuntimeError(f"the server did not answer in {STARTUP_TIMEOUT:.0f} s:\n{log_path.read_text()}")


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    # A change answers with a redirect to the plan page; following it would time a page render too.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class PageClient:
    """Posts the plan page's forms as a browser would: with its cookies and the CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as response:
            body: bytes = response.read()
            return body.decode()

    def post(self, path: str, data: dict[str, str]) -> int:
        token = next((cookie.value for cookie in self.cookies if cookie.name == "csrftoken"), None)
        if token is None:
            self.get(path.rsplit("/", 1)[0] + "/")  # the plan page sets the CSRF cookie
            token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token or ""}).encode()
        # self.base is the http:// address of the server this module started, never user input.
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        try:
            with self.opener.open(request, timeout=120) as response:
                status: int = response.status
                return status
        except urllib.error.HTTPError as answer:
            return answer.code  # 302 (done, back to the plan page) lands here too


def websocket_url(base: str, public_id: str) -> str:
    return base.replace("http://", "ws://", 1) + f"/ws/plans/{public_id}/"


# ---- the benchmark ----

PACES = ["relaxed", "packed", "normal"]


@dataclass
class Run:
    label: str
    servers: int
    clients: int
    latencies: list[float] = field(default_factory=list)  # seconds, one per listener and change
    missed: int = 0
    changes: int = 0

    def row(self) -> str:
        ms = sorted(value * 1000 for value in self.latencies)
        if not ms:
            return f"| {self.label} | {self.servers} | {self.clients} | {self.changes} | – | – | – | {self.missed} |"
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return (
            f"| {self.label} | {self.servers} | {self.clients} | {self.changes} | {statistics.median(ms):.1f} "
            f"| {p95:.1f} | {ms[-1]:.1f} | {self.missed} |"
        )


async def _listen(
    url: str,
    origin: str,
    revisions: int,
    received: list[float],
    ready: asyncio.Event,
    counter: list[int],
    total: int,
    expected: set[int],
) -> int:
    """One listener: waits for its hello, then records when each expected change arrives."""
    from websockets.asyncio.client import connect
    from websockets.typing import Origin

    heard = 0
    async with connect(url, origin=Origin(origin), proxy=None, open_timeout=60) as socket_:
        hello = json.loads(await asyncio.wait_for(socket_.recv(), 60))
        assert hello["type"] == "hello", hello
        counter[0] += 1
        if counter[0] == total:
            ready.set()
        while heard < revisions:
            try:
                message = json.loads(await asyncio.wait_for(socket_.recv(), 60))
            except TimeoutError:
                break
            arrived = time.time()
            if message.get("type") == "event" and message["revision"] in expected:
                received.append(arrived - float(message["sent"]))
                heard += 1
    return revisions - heard


async def _measure(run: Run, bases: Sequence[str], public_id: str, changes: int, interval: float) -> None:
    ready = asyncio.Event()
    counter = [0]
    client = PageClient(bases[0])
    revision = int(client.get(f"/plans/{public_id}/").split('data-revision="', 1)[1].split('"', 1)[0])
    expected = set(range(revision + 1, revision + changes + 1))
    listeners = [
        asyncio.create_task(
            _listen(
                websocket_url(bases[index % len(bases)], public_id),
                bases[index % len(bases)],
                changes,
                run.latencies,
                ready,
                counter,
                run.clients,
                expected,
            )
        )
        for index in range(run.clients)
    ]
    await asyncio.wait_for(ready.wait(), 120)
    for number in range(changes):
        started = time.monotonic()
        status = await asyncio.to_thread(
            client.post, f"/plans/{public_id}/change", {"action": "pace", "pace": PACES[number % len(PACES)]}
        )
        if status != 302:
            raise RuntimeError(f"change {number + 1} answered {status}")
        run.changes += 1
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))
    run.missed = sum(await asyncio.gather(*listeners))


def _run(
    label: str, *, redis_url: str, servers: int, clients: int, changes: int, interval: float, workdir: Path
) -> Run:
    env = prepare_database(workdir / f"{label.replace(' ', '-')}.sqlite3")
    if redis_url:
        env["TRIPWISE_REDIS_URL"] = redis_url
    trip = trip_in(env)
    run = Run(label, servers, clients)
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(serve(env, log_dir=workdir, name=f"s{i}")) for i in range(servers)]
        asyncio.run(_measure(run, bases, trip["plan"], changes, interval))
    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tripwise.trips.live_benchmark", description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between changes")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("TRIPWISE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="a spare Redis database for the second run; '' to skip it",
    )
    parser.add_argument("--out", type=Path, default=None, help="write the table here as Markdown")
    args = parser.parse_args(argv)

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="tripwise-live-bench-") as tmp:
        workdir = Path(tmp)
        runs.append(
            _run(
                "in-memory",
                redis_url="",
                servers=1,
                clients=args.clients,
                changes=args.changes,
                interval=args.interval,
                workdir=workdir,
            )
        )
        if args.redis_url and redis_reachable(args.redis_url):
            runs.append(
                _run(
                    "redis",
                    redis_url=args.redis_url,
                    servers=2,
                    clients=args.clients,
                    changes=args.changes,
                    interval=args.interval,
                    workdir=workdir,
                )
            )
        elif args.redis_url:
            print(f"Redis is not reachable at {args.redis_url}: the Redis run is skipped.", file=sys.stderr)

    table = "\n".join(
        [
            "| channel layer | server processes | listeners | changes | median ms | p95 ms | max ms | missed |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *(run.row() for run in runs),
        ]
    )
    report = (
        "# Live updates: latency from a saved change to every open page\n\n"
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · {platform.processor() or platform.machine()}"
        f" · {os.cpu_count()} CPUs · Python {platform.python_version()}\n\n"
        f"{args.clients} WebSocket listeners on one plan, one change (a pace switch, re-planned) posted through "
        f"the plan page's form every {args.interval:g} s, {args.changes} changes. Latency: from the moment "
        "the change was committed and broadcast (carried in the event) to its receipt by each listener; the "
        "listeners run in one asyncio process on the same machine as the servers. With Redis, half the "
        "listeners are on a second server process and every change is posted to the first.\n\n"
        f"{table}\n\nRun: `python -m tripwise.trips.live_benchmark --out docs/benchmarks/live-latest.md` "
        "(`make bench-live`).\n"
    )
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
