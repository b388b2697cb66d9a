"""A small HTTP/1.1 client over asyncio streams, and the body of a booking request.

One keep-alive connection per client is cheap enough that, on a machine of two cores, hundreds of clients in
one asyncio process leave the CPU to the server they measure (an HTTP library costs several times more).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

__all__ = ["HttpConnection", "booking_body"]


class HttpConnection:
    """One keep-alive HTTP/1.1 connection over asyncio streams: cheap enough that, on a machine of two cores,
    the clients leave the CPU to the server they measure. JSON in, (status, JSON) out."""

    def __init__(self, host: str, port: int, *, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), 1)

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        try:
            return await asyncio.wait_for(self._exchange(method, path, body, headers or {}), self.timeout)
        except BaseException:
            await self.close()  # the connection's state is unknown: never reuse it
            raise

    async def _exchange(self, method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._reader, self._writer
        assert reader is not None
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Accept: application/json"]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection without answering")
        status = int(status_line.split()[1])
        fields: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            fields[name.strip().lower()] = value.strip()
        data = await self._body(reader, fields)
        if fields.get("connection", "").lower() == "close":
            await self.close()
        if "json" in fields.get("content-type", "") and data:
            return status, json.loads(data)
        return status, data.decode(errors="replace")

    @staticmethod
    async def _body(reader: asyncio.StreamReader, fields: dict[str, str]) -> bytes:
        if "content-length" in fields:
            return await reader.readexactly(int(fields["content-length"]))
        if fields.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while size := int((await reader.readline()).split(b";")[0], 16):
                data += await reader.readexactly(size)
                await reader.readline()
            await reader.readline()
            return data
        fields["connection"] = "close"  # the body ends where the connection does
        return await reader.read()


def booking_body(slot_id: int, number: int, *, confirm: bool = True, adults: int = 1) -> dict[str, Any]:
    """POST /api/bookings for `adults` travellers on a departure; `number` makes the traveller distinct."""
    return {
        "slot_id": slot_id,
        "adults": adults,
        "children": 0,
        "name": f"Traveller {number}",
        "email": f"traveller{number}@example.org",
        "confirm": confirm,
    }
