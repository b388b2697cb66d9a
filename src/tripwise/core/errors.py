"""The one application error type: a stable code for machines, a message for people.

The API turns it into `{"error": {"code": ..., "message": ...}}`, the CLI prints the message and exits 2,
and the web shows the message. The message says what was wrong and what to do.
"""

from __future__ import annotations


class TripwiseError(Exception):
    """An error the user can act on. `code` is stable (tests and API clients match on it)."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class NotFound(TripwiseError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(
            "not_found", f"No {what} {key!r}. Check the spelling or list them first.", status=404
        )
