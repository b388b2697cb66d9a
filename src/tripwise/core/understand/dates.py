"""When a traveller wants to go, read offline from their own words, in English and Russian.

`understand_dates` finds a start day and a length in free text ("two days in Astana next week",
"на выходные", "с 5 по 7 декабря") without any network or model. It is deliberately forgiving: unknown words
and typos are skipped, and text that says nothing about dates gives None.

Decisions worth knowing:

* A weekday ("Monday", "on Monday", "this Monday", "next Monday", "в понедельник") is the first such day
  strictly after today; "next" does not skip a week, because people use it both ways and the nearer reading is
  the cheaper mistake. With "next week" in the same text the weekday is read inside next week.
* "this weekend" is the coming Saturday, or today when today is Saturday or Sunday (on Sunday only one day of it
  is left); "next weekend" is the Saturday a week after this weekend's Saturday.
* "next week" starts on next week's Monday.
* An explicit day and month without a year that has already passed this year means next year.
* Only ISO numeric dates (2026-12-05) are read; "5/12" means 5 December or 12 May depending on who writes it.
* Nights count the departure day: "2 nights" is 3 days. Lengths are capped at 14 days.
* A length with no start ("3 days in Almaty") starts today: the planner plans from now unless told otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["MAX_DAYS", "DateSpan", "understand_dates"]

MAX_DAYS = 14


@dataclass(frozen=True)
class DateSpan:
    """A trip's first day and its length in days (at least 1), with the words it was read from."""

    start: date
    days: int
    evidence: str


# Spelled-out numbers a traveller uses for days and nights. "few"/"несколько" are read as 3: a guess, but a
# better one than ignoring the length.
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "couple": 2,
    "a couple": 2, "a couple of": 2, "couple of": 2, "few": 3, "a few": 3, "several": 3,
    "один": 1, "одна": 1, "одно": 1, "одну": 1, "одни": 1, "два": 2, "две": 2, "двое": 2, "три": 3, "трое": 3,
    "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
    "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14, "пару": 2, "пара": 2,
    "несколько": 3,
}  # fmt: skip

# Longest first, so that "a couple of" wins over "a".
_NUMBER = "|".join(re.escape(word) for word in sorted(NUMBER_WORDS, key=len, reverse=True))
_COUNT = rf"(?P<count>\d{{1,3}}|{_NUMBER})"

_MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Russian months change their ending with the case ("декабрь", "декабря", "в декабре"); every form of a stem is
# listed rather than matched by prefix, so that "маршрут" is never May.
_SOFT_ENDINGS = ("ь", "я", "е", "ю", "ем")
_HARD_ENDINGS = ("", "а", "е", "у", "ом")
_MONTHS_RU: dict[str, int] = {}
for _stem, _month_number in (
    ("январ", 1), ("феврал", 2), ("апрел", 4), ("июн", 6), ("июл", 7), ("сентябр", 9), ("октябр", 10),
    ("ноябр", 11), ("декабр", 12),
):  # fmt: skip
    _MONTHS_RU.update({_stem + ending: _month_number for ending in _SOFT_ENDINGS})
for _stem, _month_number in (("март", 3), ("август", 8)):
    _MONTHS_RU.update({_stem + ending: _month_number for ending in _HARD_ENDINGS})
_MONTHS_RU.update({"май": 5, "мая": 5, "мае": 5, "маю": 5, "маем": 5})
MONTHS = {**_MONTHS_EN, **_MONTHS_RU}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))


def _month(group: str) -> str:
    # An abbreviation may carry a full stop ("Dec."); the word boundary keeps "mayor" from being May.
    return rf"(?P<{group}>{_MONTH_NAMES})\b\.?"


def _day(group: str) -> str:
    # Ordinal suffixes in both languages: 1st, 2nd, 3rd, 5th, 5-го, 5-е.
    return rf"(?P<{group}>\d{{1,2}})(?:st|nd|rd|th|-?го|-?е)?\b"


_YEAR = r"(?:,?\s+(?P<year>\d{4})\b)?"
_TO = r"\s*(?:-|to|till|until|through|thru|and|по|до|и)\s*"
# A number right before a unit is a length, never a day of a month ("may 3 days").
_NOT_UNIT = (
    r"(?!\s*(?:days?|nights?|weeks?|people|persons|adults|kids|children|дн|ноч|недел|человек|взросл|дет))"
)

_ISO = r"(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})\b"
_ISO_RANGE = re.compile(_ISO + rf"(?:{_TO}(?P<y2>\d{{4}})-(?P<m2>\d{{1,2}})-(?P<d2>\d{{1,2}})\b)?")
# "from 5 to 7 December", "5-7 Dec", "с 5 по 7 декабря", "30 ноября - 2 декабря", "5th of December".
_DAY_MONTH = re.compile(
    rf"\b(?:(?:from|с|со)\s+)?{_day('d1')}(?:\s+(?:of\s+)?{_month('m1')})?"
    rf"(?:{_TO}{_day('d2')})?\s+(?:of\s+)?{_month('m2')}{_YEAR}"
)
# "December 5-7", "May 1st to May 3rd", "December 5, 2026".
_MONTH_DAY = re.compile(
    rf"\b(?:from\s+)?{_month('m1')}\s*{_day('d1')}{_NOT_UNIT}(?:{_TO}(?:{_month('m2')}\s*)?{_day('d2')}{_NOT_UNIT})?{_YEAR}"
)

_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_RU = {
    "понедельник": 0, "вторник": 1, "среда": 2, "среду": 2, "четверг": 3, "пятница": 4, "пятницу": 4,
    "суббота": 5, "субботу": 5, "воскресенье": 6, "воскресение": 6,
}  # fmt: skip
WEEKDAYS = {**{name: index for index, name in enumerate(_WEEKDAYS_EN)}, **_WEEKDAYS_RU}
_WEEKDAY = re.compile(
    r"\b(?:(?:on|this|next|coming|the|в|во|на|этот|эту|это|следующий|следующую|следующее|ближайший|ближайшую"
    r"|ближайшее)\s+)*(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b"
)

_DAY_WORDS = re.compile(
    r"(?P<plus2>(?:the\s+)?day\s+after\s+tomorrow|послезавтра)"
    r"|(?P<plus1>\btomorrow\b|\bзавтра\b)"
    r"|(?P<plus0>\btoday\b|\btonight\b|\bсегодня\b)"
)
_IN_DAYS = re.compile(rf"\b(?:in|через)\s+{_COUNT}\s+(?P<unit>days?|weeks?|дн\w*|день|недел\w*)\b")
_WEEKEND = re.compile(
    r"\b(?:(?P<next>next|следующ\w*)\s+|(?:this|the|coming|these|эт\w*|ближайш\w*|на|в)\s+)*"
    r"(?:weekend|week-end|выходн(?:ые|ых)|уикенд\w*)\b"
)
_WEEK = re.compile(
    r"\b(?:(?:на|в|во)\s+)?(?P<which>next|this|следующ\w*|эт(?:ой|у|а))\s+(?:week|недел[еюя])\b"
)

_LENGTH = re.compile(
    rf"(?<!\w){_COUNT}(?:\s+of)?\s*-?\s*"
    r"(?P<unit>days?|nights?|weeks?|дн(?:я|ей)|день|ноч(?:ь|и|ей)|недел(?:ю|и|ь|я))\b"
    r"|(?P<week>\bна\s+(?:целую\s+)?неделю)"
    r"|(?P<day>\bна\s+(?:один\s+)?(?:день|сутки))"
)


@dataclass(frozen=True)
class _Found:
    start: date
    days: int | None  # a length the phrase itself implies (a range, a weekend)
    span: tuple[int, int]
    also: tuple[int, int] | None = (
        None  # a second phrase read with the first ("next week" with "on Wednesday")
    )


def _normalise(text: str) -> str:
    # Same length as the input, so that match positions slice the original words for the evidence.
    chars = []
    for char in text:
        lower = char.lower()[:1] or char
        chars.append({"ё": "е", "–": "-", "—": "-", "‑": "-", "\u00a0": " "}.get(lower, lower))
    return "".join(chars)


def _number(word: str) -> int | None:
    word = " ".join(word.split())
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _upcoming(today: date, month: int, day: int, year: str | None) -> date | None:
    """The day of the month given, in the year given or else the first year in which it has not passed."""
    if year:
        try:
            return date(int(year), month, day)
        except ValueError:
            return None
    for candidate_year in range(today.year, today.year + 9):  # 29 February may be years away
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _range(start: date, end: date | None) -> int | None:
    if end is None:
        return None
    if end < start:  # "30 December - 2 January": the end rolls into the next year
        try:
            end = end.replace(year=end.year + 1)
        except ValueError:
            return None
    return (end - start).days + 1


def _explicit(text: str, today: date) -> _Found | None:
    for match in _ISO_RANGE.finditer(text):
        try:
            start = date(int(match["y1"]), int(match["m1"]), int(match["d1"]))
            end = date(int(match["y2"]), int(match["m2"]), int(match["d2"])) if match["y2"] else None
        except ValueError:
            continue
        return _Found(start, _range(start, end), match.span())
    found: list[tuple[int, _Found]] = []
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            first_month = MONTHS[match["m1"] or match["m2"]]
            last_month = MONTHS[match["m2"] or match["m1"]]
            day1, day2 = int(match["d1"]), match["d2"]
            start_date = _upcoming(today, first_month, day1, match["year"])
            if start_date is None:
                continue
            end = None
            if day2 is not None:
                try:
                    end = date(start_date.year, last_month, int(day2))
                except ValueError:
                    continue
            found.append((match.start(), _Found(start_date, _range(start_date, end), match.span())))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _weekend(today: date, is_next: bool) -> tuple[date, int]:
    if today.weekday() == 6:  # Sunday: this weekend's Saturday was yesterday
        saturday = today - timedelta(days=1)
    else:
        saturday = today + timedelta(days=5 - today.weekday())
    if is_next:
        return saturday + timedelta(days=7), 2
    if saturday < today:
        return today, 1
    return saturday, 2


def _relative(text: str, today: date) -> _Found | None:
    match: re.Match[str] | None
    if match := _IN_DAYS.search(text):
        count = _number(match["count"])
        if count is not None:
            per_unit = 7 if match["unit"].startswith(("week", "недел")) else 1
            return _Found(today + timedelta(days=count * per_unit), None, match.span())
    if match := _DAY_WORDS.search(text):
        offset = 2 if match["plus2"] else 1 if match["plus1"] else 0
        return _Found(today + timedelta(days=offset), None, match.span())
    week = _WEEK.search(text)
    weekday = _WEEKDAY.search(text)
    if weekday:
        index = WEEKDAYS[weekday["weekday"]]
        if week and not week["which"].startswith(("this", "эт")):
            monday = today + timedelta(days=7 - today.weekday())
            return _Found(monday + timedelta(days=index), None, weekday.span(), week.span())
        ahead = (index - today.weekday() - 1) % 7 + 1  # strictly after today
        return _Found(today + timedelta(days=ahead), None, weekday.span())
    if match := _WEEKEND.search(text):
        start, days = _weekend(today, bool(match["next"]))
        return _Found(start, days, match.span())
    if week:
        if week["which"].startswith(("this", "эт")):
            return _Found(today, None, week.span())
        return _Found(today + timedelta(days=7 - today.weekday()), None, week.span())
    return None


def _length(text: str, taken: tuple[int, int] | None) -> tuple[int, tuple[int, int]] | None:
    for match in _LENGTH.finditer(text):
        if taken and match.start() < taken[1] and taken[0] < match.end():
            continue  # part of the start phrase ("in 3 days"), not a length
        if match["week"]:
            return 7, match.span()
        if match["day"]:
            return 1, match.span()
        count = _number(match["count"])
        if count is None or count == 0:
            continue
        unit = match["unit"]
        if unit.startswith(("week", "недел")):
            days = count * 7
        elif unit.startswith(("night", "ноч")):
            days = count + 1
        else:
            days = count
        return days, match.span()
    return None


def understand_dates(text: str, *, today: date) -> DateSpan | None:
    """The start and length of the trip the text asks for, or None when it says nothing about dates."""
    lowered = _normalise(text)
    found = _explicit(lowered, today) or _relative(lowered, today)
    length = _length(lowered, found.span if found else None)
    if found is None and length is None:
        return None
    spans = sorted(
        span
        for span in (
            found.span if found else None,
            found.also if found else None,
            length[1] if length else None,
        )
        if span
    )
    evidence = ", ".join(" ".join(text[start:end].split()) for start, end in spans)
    start = found.start if found else today
    days = length[0] if length else (found.days if found and found.days else 1)
    return DateSpan(start=start, days=max(1, min(MAX_DAYS, days)), evidence=evidence)
