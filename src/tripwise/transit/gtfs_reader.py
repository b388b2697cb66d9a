"""Streaming reader of a GTFS feed (a .zip or a folder) with the stdlib csv module.

We stream rows instead of loading tables into pandas (gtfs-kit, partridge): an import walks each file once,
inside one database transaction, and reports progress as it goes.

Every problem the user must fix is a TripwiseError with code "bad_gtfs" naming the file, the line and the
column, and saying what to do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zoneinfo
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, overload

from tripwise.core.errors import TripwiseError
from tripwise.core.transit.calendar import parse_gtfs_time

__all__ = ["REQUIRED_FILES", "GtfsFeedFiles", "GtfsRow", "bad_gtfs"]

REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
CALENDAR_FILES = ("calendar.txt", "calendar_dates.txt")
_PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")
_CURRENCY = re.compile(r"[A-Z]{3}")


def bad_gtfs(message: str) -> TripwiseError:
    return TripwiseError("bad_gtfs", message)


class GtfsRow:
    """One data row of a GTFS file. Parsing helpers raise bad_gtfs naming file, line and column."""

    __slots__ = ("file", "line", "values")

    def __init__(self, file: str, line: int, values: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self.values = values

    def error(self, column: str, problem: str) -> TripwiseError:
        return bad_gtfs(f"{self.file}, line {self.line}, column {column}: {problem}")

    def text(self, column: str, max_length: int | None = None) -> str:
        """An optional text value, stripped; "" when the column is absent or blank. Clipped to max_length."""
        value = self.values.get(column, "").strip()
        return value[:max_length] if max_length is not None else value

    def required(self, column: str, max_length: int | None = None) -> str:
        value = self.values.get(column, "").strip()
        if not value:
            raise self.error(
                column, f"{column} is required but is blank. Fill it in (see the GTFS reference)."
            )
        if max_length is not None and len(value) > max_length:
            raise self.error(
                column,
                f"{value[:40]!r}... is longer than {max_length} characters, which Tripwise does not store.",
            )
        return value

    @overload
    def integer(self, column: str, *, default: int, choices: Sequence[int] | None = None) -> int: ...

    @overload
    def integer(
        self, column: str, *, default: None = None, choices: Sequence[int] | None = None
    ) -> int | None: ...

    def integer(
        self, column: str, *, default: int | None = None, choices: Sequence[int] | None = None
    ) -> int | None:
        """An integer; `default` when blank. A non-blank value that is not a (listed) integer is refused."""
        value = self.values.get(column, "").strip()
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.error(
                column, f"{value!r} is not a whole number. Write it as digits, e.g. 3."
            ) from None
        if choices is not None and number not in choices:
            allowed = ", ".join(str(choice) for choice in choices)
            raise self.error(column, f"{number} is not allowed here; use one of {allowed}.")
        if number < 0:
            raise self.error(column, f"{number} is negative; GTFS values here are 0 or more.")
        return number

    def required_integer(self, column: str, *, choices: Sequence[int] | None = None) -> int:
        self.required(column)
        number = self.integer(column, choices=choices)
        assert number is not None  # required() refused a blank value
        return number

    def price(self, column: str, *, places: int) -> Decimal:
        """A required amount of money: plain digits, at most `places` decimals that are not trailing zeros."""
        value = self.required(column)
        # Decimal() would also read "-1", "Infinity", "NaN" and "1e3": a price is written as plain digits.
        if not _PLAIN_DECIMAL.fullmatch(value):
            raise self.error(column, f"{value!r} is not a price; write it as digits, e.g. 2.80 (0 or more).")
        amount = Decimal(value)
        exponent = amount.normalize().as_tuple().exponent
        assert isinstance(exponent, int)  # finite: the pattern allows digits only
        if -exponent > places:
            raise self.error(
                column, f"{value} has more than {places} decimals, which Tripwise does not store."
            )
        return amount

    def currency(self, column: str) -> str:
        """A required ISO 4217 code, upper-cased ("eur" is read as EUR)."""
        value = self.required(column)
        if not _CURRENCY.fullmatch(value.upper()):
            raise self.error(
                column, f"{value!r} is not an ISO 4217 currency code; use three letters such as EUR."
            )
        return value.upper()

    def coordinate(self, column: str, *, limit: float, required: bool) -> float | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                raise self.error(
                    column, f"{column} is required for this stop; give it in decimal degrees (WGS84)."
                )
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(
                column, f"{value!r} is not a number; give decimal degrees such as 60.1699."
            ) from None
        if not -limit <= number <= limit:
            raise self.error(column, f"{number} is outside -{limit:g}..{limit:g} degrees.")
        return number

    def date(self, column: str, *, required: bool = True) -> date | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                raise self.error(column, f"{column} is required; write the date as YYYYMMDD, e.g. 20240131.")
            return None
        try:
            return datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 - a calendar date, not an instant
        except ValueError:
            raise self.error(
                column, f"{value!r} is not a date; write it as YYYYMMDD, e.g. 20240131."
            ) from None

    def time(self, column: str, *, required: bool = False) -> int | None:
        """GTFS seconds after the service day's origin ("25:10:00" -> 90600); None when blank and optional."""
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                raise self.error(column, f"{column} is required; write the time as HH:MM:SS, e.g. 07:05:00.")
            return None
        try:
            return parse_gtfs_time(value)
        except ValueError:
            raise self.error(
                column,
                f"{value!r} is not a GTFS time; write HH:MM:SS with minutes and seconds 00-59 "
                "(e.g. 07:05:00; hours may pass 24 for trips after midnight, e.g. 25:10:00).",
            ) from None

    def timezone(self, column: str) -> str:
        value = self.required(column)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise self.error(
                column, f"{value!r} is not an IANA time zone; use a name such as Europe/Helsinki."
            ) from None
        return value


class GtfsFeedFiles:
    """The files of a GTFS feed in a .zip or a folder. Use as a context manager (it may hold a zip open).

    Files may sit in one sub-folder of the zip ("gtfs/stops.txt"), as some publishers pack them.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        if path.is_dir():
            self._members = {child.name: str(child) for child in sorted(path.iterdir()) if child.is_file()}
        elif path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile:
                raise bad_gtfs(
                    f"{path} is not a zip file. Give the GTFS feed as a .zip or as a folder of .txt files."
                ) from None
            for name in self._zip.namelist():
                if name.endswith("/") or name.startswith("__MACOSX/"):
                    continue
                base = name.rsplit("/", 1)[-1]
                # A file at the top of the zip wins over one of the same name in a sub-folder.
                if base not in self._members or name.count("/") < self._members[base].count("/"):
                    self._members[base] = name
        else:
            raise bad_gtfs(
                f"{path} does not exist. Give the path of a GTFS .zip file or of a folder of .txt files."
            )

    def __enter__(self) -> GtfsFeedFiles:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    @property
    def names(self) -> list[str]:
        return sorted(name for name in self._members if name.endswith(".txt"))

    def has(self, name: str) -> bool:
        return name in self._members

    def check_required(self) -> None:
        """Refuse a feed that lacks a file an import needs, naming every missing file."""
        missing = [name for name in REQUIRED_FILES if not self.has(name)]
        if not any(self.has(name) for name in CALENDAR_FILES):
            missing.append("calendar.txt or calendar_dates.txt")
        if missing:
            raise bad_gtfs(
                f"The GTFS feed {self.path} lacks {', '.join(missing)}. A feed needs "
                f"{', '.join(REQUIRED_FILES)} and calendar.txt or calendar_dates.txt at its top level: "
                "check that this is the complete feed (not a zip of zips or a partial download) "
                "and download it again from its publisher if needed."
            )

    def _open(self, name: str) -> IO[bytes]:
        member = self._members[name]
        if self._zip is not None:
            return self._zip.open(member)
        return open(member, "rb")

    def rows(self, name: str, required_columns: Sequence[str] = ()) -> Iterator[GtfsRow]:
        """Stream the rows of `name` as GtfsRow, checking that its header has `required_columns`.

        UTF-8 with or without a byte-order mark; CRLF or LF line ends; quoted fields may span lines.
        Blank lines are skipped; short rows are padded with blank values.
        """
        if not self.has(name):
            raise bad_gtfs(f"The GTFS feed {self.path} has no {name}. Add it, or import the complete feed.")
        with self._open(name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            try:
                try:
                    header = next(reader)
                except StopIteration:
                    raise bad_gtfs(
                        f"{name} is empty: it needs a header line naming its columns "
                        f"({', '.join(required_columns)})."
                    ) from None
                # Some feeds pad column names or repeat the byte-order mark; match names loosely.
                columns = [column.strip().lstrip("\ufeff").strip() for column in header]
                for column in required_columns:
                    if column not in columns:
                        raise bad_gtfs(
                            f"{name}, line 1: the column {column} is missing from the header "
                            f"({', '.join(columns) or 'no columns'}). Add it: it is required."
                        )
                width = len(columns)
                for fields in reader:
                    if not fields or (len(fields) == 1 and not fields[0].strip()):
                        continue
                    if len(fields) < width:
                        fields = [*fields, *([""] * (width - len(fields)))]
                    yield GtfsRow(name, reader.line_num, dict(zip(columns, fields, strict=False)))
            except UnicodeDecodeError:
                raise bad_gtfs(
                    f"{name}, near line {reader.line_num + 1}: the file is not UTF-8 text. "
                    "Re-save it as UTF-8 (GTFS requires UTF-8)."
                ) from None
            except csv.Error as exc:
                raise bad_gtfs(
                    f"{name}, line {reader.line_num}: the CSV is malformed ({exc}). "
                    "Check for an unclosed quote or a stray NUL byte on that line."
                ) from None
