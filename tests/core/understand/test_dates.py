"""Dates read from travellers' requests, in English and Russian, against a fixed today."""

from __future__ import annotations

import random
import string
from datetime import date

import pytest

from tripwise.core.understand.dates import MAX_DAYS, DateSpan, understand_dates

SATURDAY = date(2026, 11, 28)
MONDAY = date(2026, 11, 30)
SUNDAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "start", "days"),
    [
        # Relative days.
        ("tomorrow", date(2026, 11, 29), 1),
        ("today in Astana", SATURDAY, 1),
        ("the day after tomorrow", date(2026, 11, 30), 1),
        ("tomorrow for 3 days", date(2026, 11, 29), 3),
        ("in 3 days", date(2026, 12, 1), 1),
        # Weekdays: the first such day strictly after today, "next" included.
        ("on Monday", date(2026, 11, 30), 1),
        ("this Monday", date(2026, 11, 30), 1),
        ("next Monday", date(2026, 11, 30), 1),
        ("saturday", date(2026, 12, 5), 1),
        ("Friday for two days", date(2026, 12, 4), 2),
        ("on Wednesday next week", date(2026, 12, 2), 1),
        # Weekends and weeks.
        ("this weekend", SATURDAY, 2),
        ("weekend in Almaty", SATURDAY, 2),
        ("next weekend", date(2026, 12, 5), 2),
        ("next week", date(2026, 11, 30), 1),
        ("two days in Astana next week", date(2026, 11, 30), 2),
        # Lengths.
        ("for 3 days", SATURDAY, 3),
        ("3 days", SATURDAY, 3),
        ("a day trip", SATURDAY, 1),
        ("a couple of days", SATURDAY, 2),
        ("2 nights", SATURDAY, 3),
        ("a week", SATURDAY, 7),
        ("three weeks", SATURDAY, MAX_DAYS),
        ("40 days", SATURDAY, MAX_DAYS),
        # Explicit dates, ranges and the year rolling over.
        ("on 5 December", date(2026, 12, 5), 1),
        ("December 5", date(2026, 12, 5), 1),
        ("Dec. 5th", date(2026, 12, 5), 1),
        ("5th of December", date(2026, 12, 5), 1),
        ("2026-12-05", date(2026, 12, 5), 1),
        ("2026-12-05 to 2026-12-08", date(2026, 12, 5), 4),
        ("from 5 to 7 December", date(2026, 12, 5), 3),
        ("December 5-7", date(2026, 12, 5), 3),
        ("5–7 Dec", date(2026, 12, 5), 3),
        ("May 1st to May 3rd", date(2027, 5, 1), 3),
        ("November 20", date(2027, 11, 20), 1),
        ("December 30 to January 2", date(2026, 12, 30), 4),
        ("5 December 2027", date(2027, 12, 5), 1),
        ("on 5 December for 4 days", date(2026, 12, 5), 4),
        # Russian.
        ("завтра", date(2026, 11, 29), 1),
        ("сегодня вечером", SATURDAY, 1),
        ("послезавтра", date(2026, 11, 30), 1),
        ("в понедельник", date(2026, 11, 30), 1),
        ("во вторник", date(2026, 12, 1), 1),
        ("в среду", date(2026, 12, 2), 1),
        ("в четверг", date(2026, 12, 3), 1),
        ("в пятницу", date(2026, 12, 4), 1),
        ("в субботу", date(2026, 12, 5), 1),
        ("в воскресенье", date(2026, 11, 29), 1),
        ("на выходные", SATURDAY, 2),
        ("на этих выходных", SATURDAY, 2),
        ("в эти выходные", SATURDAY, 2),
        ("на следующих выходных", date(2026, 12, 5), 2),
        ("в следующие выходные", date(2026, 12, 5), 2),
        ("на следующей неделе", date(2026, 11, 30), 1),
        ("на следующей неделе в среду", date(2026, 12, 2), 1),
        ("на 3 дня", SATURDAY, 3),
        ("на три дня", SATURDAY, 3),
        ("на два дня", SATURDAY, 2),
        ("на пару дней", SATURDAY, 2),
        ("на неделю", SATURDAY, 7),
        ("на 2 ночи", SATURDAY, 3),
        ("на пять ночей", SATURDAY, 6),
        ("через 2 дня", date(2026, 11, 30), 1),
        ("5 декабря", date(2026, 12, 5), 1),
        ("с 5 по 7 декабря", date(2026, 12, 5), 3),
        ("5-7 декабря", date(2026, 12, 5), 3),
        ("с 30 декабря по 2 января", date(2026, 12, 30), 4),
        ("в начале января, 3 января", date(2027, 1, 3), 1),
        ("8 марта", date(2027, 3, 8), 1),
        ("9 мая", date(2027, 5, 9), 1),
        ("Ё-моё, завтра на двое суток", date(2026, 11, 29), 1),
        ("хочу в Астану на выходные, на три дня", SATURDAY, 3),
        ("Поеду в Алматы 5 декабря на неделю", date(2026, 12, 5), 7),
    ],
)
def test_dates_on_a_saturday(text: str, start: date, days: int) -> None:
    span = understand_dates(text, today=SATURDAY)
    assert span is not None
    assert (span.start, span.days) == (start, days)


@pytest.mark.parametrize(
    ("text", "start", "days"),
    [
        ("today", MONDAY, 1),
        ("on Monday", date(2026, 12, 7), 1),
        ("next Monday", date(2026, 12, 7), 1),
        ("on Tuesday", date(2026, 12, 1), 1),
        ("this weekend", date(2026, 12, 5), 2),
        ("next weekend", date(2026, 12, 12), 2),
        ("next week", date(2026, 12, 7), 1),
        ("на выходные", date(2026, 12, 5), 2),
        ("на следующей неделе на 2 дня", date(2026, 12, 7), 2),
        ("в понедельник", date(2026, 12, 7), 1),
        ("1 December", date(2026, 12, 1), 1),
        ("30 November", MONDAY, 1),
        ("29 November", date(2027, 11, 29), 1),
    ],
)
def test_dates_on_a_monday(text: str, start: date, days: int) -> None:
    span = understand_dates(text, today=MONDAY)
    assert span is not None
    assert (span.start, span.days) == (start, days)


def test_this_weekend_on_a_sunday_is_what_is_left_of_it() -> None:
    assert understand_dates("this weekend", today=SUNDAY) == DateSpan(SUNDAY, 1, "this weekend")
    span = understand_dates("next weekend", today=SUNDAY)
    assert span is not None
    assert (span.start, span.days) == (date(2026, 12, 5), 2)


def test_a_29_february_waits_for_a_leap_year() -> None:
    span = understand_dates("29 February", today=SATURDAY)
    assert span is not None
    assert span.start == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Hi! Next weekend please", "Next weekend"),
        ("хотим на выходные в Астану", "на выходные"),
        ("two days in Astana next week", "two days, next week"),
        ("с 5 по 7 декабря", "с 5 по 7 декабря"),
        ("на следующей неделе в среду", "на следующей неделе, в среду"),
    ],
)
def test_evidence_is_the_words_read(text: str, evidence: str) -> None:
    span = understand_dates(text, today=SATURDAY)
    assert span is not None
    assert span.evidence == evidence


@pytest.mark.parametrize(
    "text",
    [
        "",
        "museums and good coffee in Astana",
        "маршрут по музеям",
        "I may go",
        "5/12",
        "30 February",
        "mayor of the town",
        "Sundays are quiet",
        "0 days",
    ],
)
def test_nothing_said_about_dates(text: str) -> None:
    assert understand_dates(text, today=SATURDAY) is None


def test_junk_never_raises() -> None:
    alphabet = string.printable + "абвгдеёжзийклмнопрстуфхцчшщъыьэюя–—₸€$₽ 0123456789-"
    words = [
        "next",
        "weekend",
        "december",
        "декабря",
        "с",
        "по",
        "-",
        "5",
        "31",
        "2026-02-30",
        "на",
        "дня",
        "a",
    ]
    generator = random.Random(20261128)
    for _ in range(3000):
        junk = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40)))
        mixed = " ".join(generator.choice(words) for _ in range(generator.randint(0, 8)))
        for text in (junk, mixed, junk + mixed):
            span = understand_dates(text, today=SATURDAY)
            assert span is None or 1 <= span.days <= MAX_DAYS
