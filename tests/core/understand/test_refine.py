"""Refinements and questions in plain words, English and Russian, read into structured changes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tripwise.core.trips.request import parse_request
from tripwise.core.understand.names import Named
from tripwise.core.understand.refine import Message, read_message

TODAY = date(2026, 11, 28)  # a Saturday
PLACES = [
    Named(id="alzhir-museum", names=("ALZHIR Museum", "АЛЖИР", "Alzhir"), destination="astana"),
    Named(id="khan-shatyr", names=("Khan Shatyr", "Хан Шатыр"), destination="astana"),
    Named(id="bayterek", names=("Bayterek Tower", "Байтерек", "Baiterek"), destination="astana"),
]
# Saturday 5 and Sunday 6 December.
TRIP = parse_request({"destination": "astana", "start_date": "2026-12-05", "days": 2})


def read(text: str) -> Message:
    return read_message(text, today=TODAY, request=TRIP, places=PLACES, currency="KZT")


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("make day 2 more relaxed", [{"action": "day", "day": 2, "pace": "relaxed"}]),
        ("Сделай второй день спокойнее", [{"action": "day", "day": 2, "pace": "relaxed"}]),
        ("add Khan Shatyr", [{"action": "add", "place_id": "khan-shatyr"}]),
        ("Добавь Хан Шатыр", [{"action": "add", "place_id": "khan-shatyr"}]),
        ("skip Bayterek", [{"action": "remove", "place_id": "bayterek"}]),
        ("Убери Байтерек", [{"action": "remove", "place_id": "bayterek"}]),
        ("no museums on Sunday", [{"action": "day", "day": 2, "avoid_kinds": ["museum"]}]),
        ("Без музеев в воскресенье", [{"action": "day", "day": 2, "avoid_kinds": ["museum"]}]),
        ("we arrive at 14:00 on the first day", [{"action": "day", "day": 1, "start": "14:00"}]),
        ("Мы прилетаем в 14:00 в первый день", [{"action": "day", "day": 1, "start": "14:00"}]),
        ("we leave at 4pm on the last day", [{"action": "day", "day": 2, "end": "16:00"}]),
        ("what if we go on Monday?", [{"action": "dates", "start_date": "2026-11-30"}]),
        ("А если поехать в понедельник?", [{"action": "dates", "start_date": "2026-11-30"}]),
        ("what about the weekend of 12 December", [{"action": "dates", "start_date": "2026-12-12"}]),
        ("let's do 3 days instead", [{"action": "days", "days": 3}]),
        ("add a day", [{"action": "days", "days": 3}]),
        ("budget 30000 tenge", [{"action": "budget", "budget": {"amount": "30000", "currency": "KZT"}}]),
        ("we have a car now", [{"action": "modes", "modes": ["walk", "car"]}]),
        ("make it packed", [{"action": "pace", "pace": "packed"}]),
        (
            "put ALZHIR on day 1 at 11:00",
            [{"action": "lock", "place_id": "alzhir-museum", "date": "2026-12-05", "start": "11:00"}],
        ),
        (
            "skip Bayterek, and Khan Shatyr",
            [{"action": "remove", "place_id": "bayterek"}, {"action": "remove", "place_id": "khan-shatyr"}],
        ),
        (
            "make day 2 more relaxed and add Khan Shatyr",
            [{"action": "add", "place_id": "khan-shatyr"}, {"action": "day", "day": 2, "pace": "relaxed"}],
        ),
    ],
)
def test_a_refinement_becomes_structured_changes(text: str, changes: list[dict[str, Any]]) -> None:
    message = read(text)
    assert message.kind == "changes"
    assert list(message.changes) == changes
    assert message.heard


@pytest.mark.parametrize("text", ["swap the days", "Поменяй дни местами", "swap day 1 and day 2"])
def test_swapping_is_left_to_the_caller_with_the_days_named(text: str) -> None:
    assert read(text).swap == (1, 2)


@pytest.mark.parametrize("text", ["cheaper", "Подешевле", "this is too expensive"])
def test_cheaper_is_left_to_the_caller(text: str) -> None:
    message = read(text)
    assert message.cheaper
    assert message.changes == ()


@pytest.mark.parametrize(
    ("text", "topic", "place", "day"),
    [
        ("is ALZHIR open on Monday?", "open", "alzhir-museum", date(2026, 11, 30)),
        ("Открыт ли АЛЖИР в понедельник?", "open", "alzhir-museum", date(2026, 11, 30)),
        ("is Bayterek open on Sunday?", "open", "bayterek", date(2026, 12, 6)),
        ("when does Khan Shatyr open?", "hours", "khan-shatyr", None),
        ("when is the last bus back?", "last_bus", None, None),
        ("Когда последний автобус обратно?", "last_bus", None, None),
        ("how much is the ticket to ALZHIR?", "price", "alzhir-museum", None),
        ("Сколько стоит билет в АЛЖИР?", "price", "alzhir-museum", None),
        ("how much does the whole trip cost?", "cost", None, None),
    ],
)
def test_a_question_is_recognised_with_its_place_and_day(
    text: str, topic: str, place: str | None, day: date | None
) -> None:
    message = read(text)
    assert message.kind == "question"
    assert message.question is not None
    assert (message.question.topic, message.question.place, message.question.day) == (topic, place, day)


@pytest.mark.parametrize("text", ["undo", "отмени", "go back"])
def test_undo(text: str) -> None:
    assert read(text).kind == "undo"


def test_a_weekday_outside_the_trip_is_said_not_guessed() -> None:
    message = read("no museums on Monday")
    assert message.kind == "unknown"
    assert message.notes == ("Your trip (Sat 05 Dec to Sun 06 Dec) has no Monday.",)


def test_moving_to_the_dates_the_trip_already_has_changes_nothing() -> None:
    message = read("what if we go on Saturday 5 December?")
    assert message.changes == ()
    assert message.notes == ("Your trip already starts on Saturday 05 December.",)


@pytest.mark.parametrize("text", ["hello there", "", "the weather is nice"])
def test_words_without_a_change_are_not_guessed_into_one(text: str) -> None:
    assert read(text).kind == "unknown"
