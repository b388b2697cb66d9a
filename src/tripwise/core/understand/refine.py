"""What a traveller says about a plan they already have, read into structured changes or a question.

    read_message("make day 2 more relaxed and add Khan Shatyr", ...)
    -> Message(kind="changes", changes=({"action": "day", "day": 2, "pace": "relaxed"},
                                         {"action": "add", "place_id": "khan-shatyr"}))

Changes are the ones of `tripwise.core.trips.changes`, so each can be shown, undone and replayed. Two need the
plan itself and are left to the caller: swapping days (`swap`) and making it cheaper (`cheaper`). Questions
("is ALZHIR open on Monday?", "when is the last bus back?") come back as a `Question` for the caller to answer
from the data. Reading is on folded text (Latin letters, Russian transliterated), as in `understand`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, Literal

from tripwise.core.text import fold
from tripwise.core.trips.request import TripRequest
from tripwise.core.understand import lexicon
from tripwise.core.understand.dates import understand_dates
from tripwise.core.understand.names import Found, Named, find_names
from tripwise.core.understand.quantities import understand_budget

__all__ = ["Message", "Question", "read_message"]

Topic = Literal["open", "hours", "last_bus", "price", "cost", "other"]

# No "wed", "sat" or "sun": folded, "we'd" is "wed", and the sun is not a Sunday.
_WEEKDAYS = (("monday", "mon ", "ponedel"), ("tuesday", "tue ", "vtornik"), ("wednesday", "sred"),
             ("thursday", "thu ", "chetverg"), ("friday", "fri ", "piatnits", "piatnic"),
             ("saturday", "subbot"), ("sunday", "voskresen"))  # fmt: skip
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "perv": 1, "vtor": 2, "tret": 3, "chetvert": 4, "piat": 5, "shest": 6, "sedm": 7}  # fmt: skip
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "odin": 1, "dva": 2,
            "tri": 3, "chetyre": 4}  # fmt: skip
_DAY_WORD = r"(?:day|den|dnia|dne|dniu)"
_LENGTH = r"\b(days?|nights?|weekends?|dn[a-z]*|noch[a-z]*|vykhodn[a-z]*)\b"
_ADD_CUES = (
    "add",
    "khotim",
    "khochu",
    "eshch",
    "tozhe",
    "include",
    "also",
    "want to see",
    "like to see",
    "visit",
    "dobav",
    "vkliuch",
    "khotim v",
    "zaedem v",
)
_REMOVE_CUES = ("remove", "drop", "skip", "no ", "without", "not ", "delete", "cancel", "take out", "leave out",
                "dont want", "don t want", "do not want", "not interested", "uber", "ubrat",
                "bez ", "ne nado", "iskliuch", "ne khotim", "ne poedem")  # fmt: skip
_REMOVE_AFTER = ("ne nado", "ne nuzh", "ne khotim", "ne khochu", "ne interesn", "is not needed", "not needed",
                 "not interested", "no thanks", "can go", "otpadaet")  # fmt: skip
_MOVE_CUES = ("put", "move", "keep", "schedule", "plan", "postav", "perenes", "perenos", "sdelai")
_RELAXED = (*lexicon.RELAXED_WORDS, "more relaxed", "lighter", "easier", "slower", "less packed", "less busy",
            "fewer things", "calmer", "slow down", "slow it down", "spokoinee", "pospokoin", "polegche",
            "pomedlenn", "pomenshe", "menshe", "razgruz")  # fmt: skip
_PACKED = (*lexicon.PACKED_WORDS, "busier", "more things", "more packed", "fuller", "pobolshe",
           "nasyshchenee", "bolshe mest")  # fmt: skip
_CHEAPER = ("cheaper", "less expensive", "lower the budget", "lower budget", "save money", "spend less",
            "too expensive", "deshevle", "podeshevle", "ekonomn", "dorogo")  # fmt: skip
_SWAP = ("swap", "switch the days", "switch days", "switch day", "exchange", "trade the days", "flip the days", "exchange the days", "the other way round", "pomeniai",
         "pomeniat", "smeni dni", "pomenyai")  # fmt: skip
_UNDO = ("undo", "go back", "revert", "put it back", "as it was", "otmeni", "verni", "vernut", "otkat")
_WHAT_IF = ("what if", "what about", "how about", "instead", "move the trip", "shift the trip", "start on",
            "a esli", "chto esli", "perenesi poezdku", "a davai", "vmesto")  # fmt: skip
_ARRIVE = ("arrive", "land", "get in", "get there", "start at", "begin at", "start the day", "priezzha",
           "priletae", "pribyvae", "nachnem", "nachinaem", "nachat")  # fmt: skip
_LEAVE = ("leave", "depart", "fly out", "flight", "train", "poezd", "samolet", "reis", "finish", "end at", "end the day", "back by", "be back",
          "uezzha", "uletae", "zakonchi", "vernutsia", "vernemsia", "otezd", "vylet")  # fmt: skip
_MORE_DAYS = ("add a day", "one more day", "another day", "extra day", "eshchio odin den", "eshche odin den",
              "eshchio den", "eshche den", "dobav den")  # fmt: skip
_QUESTION_STARTS = ("is ", "are ", "when ", "what time", "how much", "how long", "does ", "do ", "can ",
                    "which ", "where ", "kogda", "skolko", "vo skolko", "otkryt", "rabotaet", "kakoi",
                    "kak ", "gde ", "mozhno li", "est li")  # fmt: skip
_KINDS = {"museum": ("museum", "muze"), "shopping": ("shopping", "shop", "mall", "magazin", "torgov"),
          "church": ("church", "tserk", "khram", "sobor"), "mosque": ("mosque", "mechet"),
          "park": ("park",), "outdoor": ("outdoor", "na ulitse")}  # fmt: skip


@dataclass(frozen=True)
class Question:
    topic: Topic
    place: str | None  # a place id
    day: date | None
    evidence: str


@dataclass(frozen=True)
class Message:
    kind: Literal["changes", "question", "undo", "unknown"]
    changes: tuple[dict[str, Any], ...] = ()
    swap: tuple[int, int] | None = None  # days (from 1) to swap, for the caller to turn into locks
    cheaper: bool = False  # the caller lowers the budget below what the plan costs now
    question: Question | None = None
    heard: tuple[str, ...] = field(default_factory=tuple)  # the words each part came from
    notes: tuple[str, ...] = ()  # why a part that was understood changes nothing ("your trip has no Sunday")


def _has(text: str, phrases: Sequence[str]) -> str | None:
    for phrase in phrases:
        if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}", text):
            return phrase.strip()
    return None


def _weekday_named(text: str) -> tuple[int, str] | None:
    for weekday, words in enumerate(_WEEKDAYS):
        if found := _has(text + " ", words):
            return weekday, found
    return None


def _weekday_day(text: str, request: TripRequest) -> tuple[int, str] | None:
    """The day of the trip (from 1) a weekday names: "on Sunday" in a Saturday-Sunday trip is day 2."""
    for weekday, words in enumerate(_WEEKDAYS):
        if found := _has(text + " ", words):
            for index, day in enumerate(request.dates):
                if day.weekday() == weekday:
                    return index + 1, found
    return None


def _day_ref(text: str, request: TripRequest) -> tuple[int, str] | None:
    """Which day of the trip the words name: "day 2", "the second day", "last day", «во второй день»."""
    if match := re.search(rf"\b{_DAY_WORD} (\d+|[a-z]+)\b", text):
        number = int(match.group(1)) if match.group(1).isdigit() else _NUMBERS.get(match.group(1))
        if number is not None and 1 <= number <= request.days:
            return number, match.group(0)
    if match := re.search(rf"\b(\d+)(?:st|nd|rd|th|i|oi|ii|yi)? {_DAY_WORD}\b", text):
        number = int(match.group(1))
        if 1 <= number <= request.days:
            return number, match.group(0)
    if match := re.search(rf"\b(last|final|posledn)[a-z]* {_DAY_WORD}\b", text):
        return request.days, match.group(0)
    if match := re.search(rf"\b([a-z]+) {_DAY_WORD}\b", text):
        for stem, number in _ORDINALS.items():
            if match.group(1).startswith(stem) and number <= request.days:
                return number, match.group(0)
    return _weekday_day(text, request)


def _clock_time(text: str) -> tuple[time, str] | None:
    """A time of day said with a cue or in clock form ("at 14:00", "by 6 pm", «в 14:00»; folded "14 00")."""
    pattern = r"\b(at|by|from|around|after|v|k|do|ot|okolo|posle)? ?(\d{1,2})(?:[ :.h](\d{2}))? ?(am|pm)?\b"
    for match in re.finditer(pattern, text):
        cue, hour, minute, half = match.group(1), int(match.group(2)), match.group(3), match.group(4)
        if not (cue or minute or half):
            continue  # "day 2", "3 days": a number, not a time
        if half == "pm" and hour < 12:
            hour += 12
        if hour <= 23 and int(minute or 0) <= 59 and (half or minute or hour >= 6):
            return time(hour, int(minute or 0)), match.group(0).strip()
    return None


def _places(words: Sequence[str], places: Sequence[Named]) -> list[Found]:
    # "no shopping on Saturday" names a kind of place, not the mall whose name has "shopping" in it.
    kind_words = tuple(stem for stems in _KINDS.values() for stem in stems)
    hits = [
        hit
        for hit in find_names(words, places)
        if not (hit.end - hit.start == 1 and fold(hit.evidence).startswith(kind_words))
    ]
    return sorted(hits, key=lambda hit: hit.start)


def _cue_before(words: Sequence[str], hit: Found, cues: Sequence[str], reach: int = 4) -> bool:
    before = " ".join(words[max(0, hit.start - reach) : hit.start]) + " "
    return _has(before, cues) is not None


def _cue_after(words: Sequence[str], hit: Found, cues: Sequence[str], reach: int = 3) -> bool:
    """«Пирамиду не надо», "the Pyramid is not needed": the cue after the name."""
    return _has(" ".join(words[hit.end : hit.end + reach]) + " ", cues) is not None


def _day_number(word: str) -> int | None:
    """1 for "1", "first", «первый»; None for other words."""
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 14 else None
    return next((number for stem, number in _ORDINALS.items() if word.startswith(stem)), None)


def _question(raw: str, text: str, words: Sequence[str], found: list[Found], request: TripRequest,
              today: date) -> Question | None:  # fmt: skip
    asks = raw.strip().endswith("?") or any(text.startswith(start) for start in _QUESTION_STARTS)
    if not asks or _has(text, _WHAT_IF):
        return None
    place = found[0].named.id if found else None
    weekday = _weekday_day(text, request)
    day = request.dates[weekday[0] - 1] if weekday else None
    said_day = any(f" {cue} " in f" {text} " for cue in ("on", "v", "vo", "this", "next"))
    if day is None and said_day and (span := understand_dates(raw, today=today)) is not None:
        day = span.start
    if _has(text, ("last bus", "last tram", "last train", "bus back", "posledn", "obratn")) and _has(
        text, ("bus", "tram", "train", "transport", "avtobus", "back", "obratno", "nazad")
    ):
        return Question("last_bus", place, day, "last bus back")
    if _has(text, ("how much", "price", "cost", "ticket", "stoit", "tsena", "stoimost", "bilet")):
        return Question("price" if place else "cost", place, day, "how much")
    asks_when = _has(
        text, ("when", "what time", "hours", "until", "till", "kogda", "vo skolko", "do skolk", "chasy")
    )
    if _has(text, ("open", "closed", "close", "otkry", "zakry", "rabotaet", "vykhodn")) and place is not None:
        if asks_when and day is None:
            return Question("hours", place, None, "opening hours")
        return Question("open", place, day, "open")
    if _has(text, ("hours", "chasy", "when", "kogda")) and place is not None:
        return Question("hours", place, day, "opening hours")
    return Question("other", place, day, raw.strip())


def _place_changes(text: str, words: Sequence[str], found: list[Found], request: TripRequest,
                   heard: list[str], carry: str) -> list[dict[str, Any]]:  # fmt: skip
    """Adds, removals and day locks of the places named in one clause. A clause that is only a name takes
    the action of the clause before ("skip Nur Alem, and the Central market" removes both)."""
    changes: list[dict[str, Any]] = []
    day = _day_ref(text, request)
    at = _clock_time(text)
    for hit in found:
        place = hit.named.id
        bare = len(words) <= hit.end - hit.start + 2
        if (
            _cue_before(words, hit, _REMOVE_CUES)
            or _cue_after(words, hit, _REMOVE_AFTER)
            or (bare and carry == "remove")
        ):
            changes.append({"action": "remove", "place_id": place})
            heard.append(f"remove {hit.named.names[0]}")
            continue
        if day is not None and (
            _cue_before(words, hit, (*_MOVE_CUES, *_ADD_CUES)) or _has(text, ("on ", " to ", " v ", " na "))
        ):
            lock_date = request.dates[day[0] - 1].isoformat()
            start = f"{at[0]:%H:%M}" if at else None
            changes.append({"action": "lock", "place_id": place, "date": lock_date, "start": start})
            heard.append(f"{hit.named.names[0]} on {day[1]}" + (f" {at[1]}" if at else ""))
            continue
        if _cue_before(words, hit, _ADD_CUES) or bare:
            changes.append({"action": "add", "place_id": place})
            heard.append(f"add {hit.named.names[0]}")
    return changes


def _not_in_trip(text: str, request: TripRequest, notes: list[str]) -> bool:
    """Whether the words name a weekday the trip does not have ("no museums on Sunday" on Mon-Tue)."""
    named = _weekday_named(text)
    if named is None or _day_ref(text, request) is not None:
        return False
    first, last = request.dates[0], request.dates[-1]
    weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[named[0]]
    notes.append(f"Your trip ({first:%a %d %b} to {last:%a %d %b}) has no {weekday}.")
    return True


def _day_changes(text: str, request: TripRequest, heard: list[str], notes: list[str]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    if _not_in_trip(text, request, notes):
        return changes
    day = _day_ref(text, request)
    relaxed, packed = _has(text, _RELAXED), _has(text, _PACKED)
    if relaxed or packed:
        pace = "relaxed" if relaxed else "packed"
        if day is not None:
            changes.append({"action": "day", "day": day[0], "pace": pace})
            heard.append(f"{relaxed or packed} on {day[1]}")
        else:
            changes.append({"action": "pace", "pace": pace})
            heard.append(str(relaxed or packed))
    for kind, stems in _KINDS.items():
        cue = re.search(rf"\b(?:no|without|bez|ne)( [a-z]+)? ({'|'.join(stems)})[a-z]*", text)
        if cue:
            days = [day[0]] if day is not None else list(range(1, request.days + 1))
            for number in days:
                kinds = sorted({*request.rule(number - 1).avoid_kinds, kind})
                changes.append({"action": "day", "day": number, "avoid_kinds": kinds})
            heard.append(cue.group(0) + (f" on {day[1]}" if day else ""))
    at = _clock_time(text)
    if at is not None:
        arrive, leave = _has(text, _ARRIVE), _has(text, _LEAVE)
        if arrive:
            number = day[0] if day else 1
            changes.append({"action": "day", "day": number, "start": f"{at[0]:%H:%M}"})
            heard.append(f"{arrive} at {at[0]:%H:%M} on day {number}")
        elif leave:
            number = day[0] if day else request.days
            changes.append({"action": "day", "day": number, "end": f"{at[0]:%H:%M}"})
            heard.append(f"{leave} at {at[0]:%H:%M} on day {number}")
    return changes


def _trip_changes(raw: str, text: str, request: TripRequest, today: date, currency: str,
                  heard: list[str], notes: list[str]) -> list[dict[str, Any]]:  # fmt: skip
    changes: list[dict[str, Any]] = []
    if _has(text, _WHAT_IF) or _has(text, ("move it to", "go on", "go next", "poekhat", "perenesi")):
        span = understand_dates(raw, today=today)
        evidence = fold(span.evidence) if span is not None else ""
        # "3 days instead" gives only a length: the dates stay, the length is read below.
        names_a_day = re.sub(rf"{_LENGTH}|\b(for|na|\d+|[a-z]+ (?=days|dnia|dnei))\b", "", evidence).strip()
        if span is not None and names_a_day and span.start == request.start_date:
            notes.append(f"Your trip already starts on {span.start:%A %d %B}.")
        elif span is not None and names_a_day:
            changes.append({"action": "dates", "start_date": span.start.isoformat()})
            heard.append(span.evidence)
            if re.search(_LENGTH, evidence) and span.days != request.days:
                changes.append({"action": "days", "days": span.days})
    if found := _has(text, _MORE_DAYS):
        changes.append({"action": "days", "days": min(14, request.days + 1)})
        heard.append(found)
    if match := re.search(r"\b(\d+|[a-z]+) (?:days?|dnia|dnei|den)\b", text):
        number = int(match.group(1)) if match.group(1).isdigit() else _NUMBERS.get(match.group(1))
        if number and number != request.days and not any(c["action"] == "days" for c in changes):
            changes.append({"action": "days", "days": number})
            heard.append(match.group(0))
    budget = understand_budget(raw)
    if budget is not None and (budget.currency or currency):
        amount = budget.amount * (request.party if budget.per_person else 1)
        changes.append(
            {"action": "budget", "budget": {"amount": str(amount), "currency": budget.currency or currency}}
        )
        heard.append(budget.evidence)
    if found := _has(text, lexicon.WALK_ONLY_WORDS):
        changes.append({"action": "modes", "modes": ["walk"]})
        heard.append(found)
    elif found := _has(text, lexicon.NO_CAR_WORDS):
        changes.append({"action": "modes", "modes": ["walk", "transit"]})
        heard.append(found)
    elif found := _has(text, (*lexicon.CAR_WORDS, "have a car", "with a car", "rented a car", "got a car",
                              "u nas mashina", "vzial mashin", "vziali mashin")):  # fmt: skip
        changes.append({"action": "modes", "modes": ["walk", "car"]})
        heard.append(found)
    return changes


def read_message(
    text: str, *, today: date, request: TripRequest, places: Sequence[Named], currency: str = ""
) -> Message:
    """What a message says about the plan made for `request`; `currency` is the destination's."""
    folded = fold(text)
    words = folded.split()
    if not words:
        return Message("unknown")
    found = _places(words, places)
    if _has(folded, _UNDO) and len(words) <= 6:
        return Message("undo", heard=(str(_has(folded, _UNDO)),))
    question = _question(text, folded, words, found, request, today)
    if question is not None and question.topic != "other":
        return Message("question", question=question, heard=(question.evidence,))
    heard: list[str] = []
    notes: list[str] = []
    changes: list[dict[str, Any]] = []
    # "make day 2 more relaxed and add Khan Shatyr": the day belongs to its own clause, not to the place.
    for clause in re.split(r"[,;.!?]| and | then | also | и | а также | потом ", text):
        clause_words = fold(clause).split()
        carry = changes[-1]["action"] if changes else ""
        changes += _place_changes(
            fold(clause), clause_words, _places(clause_words, places), request, heard, carry
        )
    changes += _day_changes(folded, request, heard, notes)
    changes += _trip_changes(text, folded, request, today, currency, heard, notes)
    swap = None
    if found_swap := _has(folded, _SWAP):
        numbers = [n for n in (_day_number(word) for word in words) if n is not None and n <= request.days]
        swap = (numbers[0], numbers[1]) if len(numbers) >= 2 else (1, 2) if request.days >= 2 else None
        if swap is not None:
            heard.append(f"{found_swap} days {swap[0]} and {swap[1]}")
    cheaper = _has(folded, _CHEAPER)
    if cheaper and not any(change["action"] == "budget" for change in changes):
        heard.append(cheaper)
    else:
        cheaper = None
    if not changes and swap is None and cheaper is None:
        if question is not None:  # a question, but none the data can answer
            return Message("question", question=question, heard=(question.evidence,))
        return Message("unknown", notes=tuple(notes))
    return Message(
        "changes",
        tuple(changes),
        swap=swap,
        cheaper=cheaper is not None,
        heard=tuple(heard),
        notes=tuple(notes),
    )
