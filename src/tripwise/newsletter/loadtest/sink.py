"""A real SMTP server that keeps nothing but a line per message received: the recipient and the Message-ID.
`python -m tripwise.newsletter.loadtest.sink --port P --out FILE` serves until SIGTERM. A message whose data
never ended (its sender killed before the final ".") is no message: aiosmtpd never hands it over."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self, out: Path) -> None:
        self.file = out.open("a", buffering=1)  # a line each, written at once
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's name
        message_id = ""
        for line in envelope.original_content.split(b"\r\n"):
            if not line:
                break  # the end of the headers
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.file.write(f"{recipient}\t{message_id}\n")
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    controller = Controller(Counter(args.out), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("READY", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
