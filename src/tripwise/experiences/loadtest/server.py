"""uvicorn serving Tripwise in a subprocess: several worker processes in a process group of their own, so one
signal reaches them all (a SIGKILL of the whole server is how the crash test kills it mid-request)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["STARTUP_TIMEOUT", "Server", "free_port", "start_server", "start_worker"]

BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 180.0  # seconds: two workers import Django and warm the planner on two busy cores
APP = "tripwise.config.asgi:application"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """uvicorn with its worker processes, in a process group of its own (so one signal reaches them all)."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    host: str = "127.0.0.1"

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _signal(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, number)

    def kill(self) -> None:
        """SIGKILL to the whole group: the supervisor and every worker die at once, mid-request."""
        self._signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self._signal(signal.SIGKILL)  # workers left behind, if any
        self.process.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_warm(self, workers: int, timeout: float = STARTUP_TIMEOUT) -> None:
        """Until every worker has warmed the planner (needs log_level INFO): its CPU is the benchmark's."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log()
            if text.count("planner warmed up") + text.count("warm-up failed") >= workers:
                return
            time.sleep(0.3)


def start_server(env: dict[str, str], *, workers: int, log_path: Path, probe: str) -> Server:
    """Start uvicorn and return once `probe` (a path) answers; on failure the log says why."""
    port = free_port()
    log = log_path.open("ab")
    # fmt: off
    command = [
        str(BIN / "uvicorn"), APP, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--lifespan", "off", "--no-access-log",
    ]
    # fmt: on
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()  # the child has its own copy
    server = Server(process=process, port=port, log_path=log_path)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"the server stopped on start:\n{server.log()}")
        try:
            with opener.open(server.base + probe, timeout=10):
                return server
        except urllib.error.HTTPError:
            return server  # it answered
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"the server did not answer in {STARTUP_TIMEOUT:.0f} s:\n{server.log()}")


def start_worker(env: dict[str, str], *, log_path: Path) -> Server:
    """`tripwise worker` (the outbox, holds, applications) in a process group of its own; port 0: it serves
    nothing, and `stop` ends it like a server."""
    log = log_path.open("ab")
    process = subprocess.Popen(
        [str(BIN / "tripwise"), "worker", "--interval", "1"],
        env=env,
        stdout=subprocess.DEVNULL,  # the console email backend prints every email it "sends"
        stderr=log,
        start_new_session=True,
    )
    log.close()
    return Server(process=process, port=0, log_path=log_path)
