"""A trip request understood from plain words, offline: no network, no model download.

    understand("two days in Astana next week, history, no car, must see ALZHIR", today=..., ...)

gives the trip request of docs/plans.md (only the fields the words settle) and a chip per field with the
words it came from, so the traveller sees what was understood and can correct it. Dates and quantities are
read by `dates` and `quantities`; places and destinations by `names` (typos and Russian endings forgiven);
modes, pace and interests by the stems in `lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tripwise.core.text import fold
from tripwise.core.understand import lexicon, meaning
from tripwise.core.understand.dates import understand_dates
from tripwise.core.understand.names import Found, Named, find_names
from tripwise.core.understand.quantities import Party, understand_budget, understand_party

__all__ = ["Chip", "Understanding", "understand"]

# Words just before a place that turn it into one to avoid (folded).
_AVOID_CUES = ("not", "no", "skip", "avoid", "except", "without", "but not", "bez", "krome", "ne", "ne nado",
               "ne khotim", "ne khochu", "propustim", "isklyuchaya")  # fmt: skip
_AVOID_REACH = 3  # how many words before a name an avoid cue may stand


@dataclass(frozen=True)
class Chip:
    field: str
    value: Any
    evidence: str  # the words it came from


@dataclass(frozen=True)
class Understanding:
    request: dict[str, Any]
    chips: tuple[Chip, ...] = field(default_factory=tuple)


# Misspellings common enough to mend before reading dates and amounts.
_TYPOS = {"tommorow": "tomorrow", "tomorow": "tomorrow", "tommorrow": "tomorrow", "tmrw": "tomorrow",
          "wekend": "weekend", "weeknd": "weekend", "nigths": "nights", "dyas": "days"}  # fmt: skip
_COUPLE_WORDS = ("my gf", "my bf", "girlfriend", "boyfriend", "for two", "for 2", "na dvoikh", "vdvoiom")


def _mend_typos(text: str) -> str:
    return re.sub(r"[A-Za-z]+", lambda m: _TYPOS.get(m.group(0).lower(), m.group(0)), text)


def _with_companions(party: Party | None, folded: str) -> Party | None:
    """What the quantity reader leaves out: a family is two adults, a girlfriend or "for two" makes two."""
    if (
        party is not None
        and party.children
        and party.adults == 1
        and _has(folded, ("family", "semioi", "semia", "semei"))
    ):
        return Party(adults=2, children=party.children, evidence=party.evidence)
    if (party is None or party.adults == 1) and (found := _has(folded, _COUPLE_WORDS)):
        return Party(adults=2, children=party.children if party else 0, evidence=found)
    return party


def _plain(amount: Decimal) -> str:
    """20000, not 2E+4 or 20000.00: how a person writes an amount."""
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:f}"


def _has(text: str, phrases: Sequence[str]) -> str | None:
    """The first phrase found at a word start in the folded text."""
    for phrase in phrases:
        if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}", text):
            return phrase
    return None


def _modes(text: str) -> tuple[list[str], str] | None:
    if found := _has(text, lexicon.WALK_ONLY_WORDS):
        return ["walk"], found
    if found := _has(text, lexicon.NO_CAR_WORDS):
        return ["transit", "walk"], found
    if found := _has(text, lexicon.CAR_WORDS):
        return ["car", "walk"], found
    return None


def _pace(text: str) -> tuple[str, str] | None:
    if found := _has(text, lexicon.RELAXED_WORDS):
        return "relaxed", found
    if found := _has(text, lexicon.PACKED_WORDS):
        return "packed", found
    return None


def _interests(words: Sequence[str], skip: set[int]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for position, word in enumerate(words):
        if position in skip:
            continue
        for interest, stems in lexicon.INTERESTS.items():
            if interest not in found and any(word.startswith(stem) for stem in stems):
                found[interest] = word
    return sorted(found.items())


def _joined(between: Sequence[str]) -> bool:
    """Whether the words between two names only list them ("and the", ", or")."""
    return len(between) <= 3 and bool(set(between) & {"and", "or", "i", "ili", "nor"})


def _is_avoided(words: Sequence[str], found: Found) -> bool:
    before = " ".join(words[max(0, found.start - _AVOID_REACH) : found.start])
    return any(re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", before) for cue in _AVOID_CUES)


def understand(
    text: str, *, today: date, destinations: Sequence[Named], places: Sequence[Named]
) -> Understanding:
    """The trip request the words settle (docs/plans.md fields), with a chip per field."""
    folded = fold(text)
    words = folded.split()
    request: dict[str, Any] = {}
    chips: list[Chip] = []

    def settle(name: str, value: Any, evidence: str) -> None:
        request[name] = value
        chips.append(Chip(name, value, evidence))

    named_destinations = find_names(words, destinations)
    destination = named_destinations[0].named if named_destinations else None
    local = [p for p in places if destination is None or p.destination == destination.id]
    # The destination's own words ("Nur-Sultan") are not a place ("Nur-Astana mosque"): hide them.
    hidden = {i for hit in named_destinations for i in range(hit.start, hit.end)}
    visible = [word if i not in hidden else "" for i, word in enumerate(words)]
    named_places = find_names(visible, local)
    if destination is None and named_places:
        wanted = named_places[0].named.destination
        destination = next((d for d in destinations if d.id == wanted), None)
    if destination is not None:
        evidence = named_destinations[0].evidence if named_destinations else named_places[0].evidence
        settle("destination", destination.id, evidence)

    mended = _mend_typos(text)
    span = understand_dates(mended, today=today)
    if span is not None:
        settle("start_date", span.start.isoformat(), span.evidence)
        settle("days", span.days, span.evidence)
    party = _with_companions(understand_party(mended), folded)
    if party is not None:
        settle("party", {"adults": party.adults, "children": party.children}, party.evidence)
    budget = understand_budget(mended)
    if budget is not None:
        currency = budget.currency or (destination.currency if destination else "")
        if currency:
            people = (party.adults + party.children) if party is not None else 1
            amount = budget.amount * people if budget.per_person else budget.amount
            settle("budget", {"amount": _plain(amount), "currency": currency}, budget.evidence)
    if modes := _modes(folded):
        settle("modes", modes[0], modes[1])
    if pace := _pace(folded):
        settle("pace", pace[0], pace[1])

    must_see: list[str] = []
    avoid: list[str] = []
    place_words: set[int] = set()
    previous: tuple[int, bool] | None = None  # (end, avoided) of the place named before, in text order
    for hit in sorted(named_places, key=lambda found: found.start):
        place_words |= set(range(hit.start, hit.end))
        # "skip Nur Alem and the Central market": the cue carries over a list.
        listed = previous is not None and previous[1] and _joined(words[previous[0] : hit.start])
        avoided = listed or _is_avoided(words, hit)
        (avoid if avoided else must_see).append(hit.named.id)
        previous = (hit.end, avoided)
    for hit in named_destinations:
        place_words |= set(range(hit.start, hit.end))
    if must_see:
        settle(
            "must_see",
            sorted(set(must_see)),
            ", ".join(h.evidence for h in named_places if h.named.id in must_see),
        )
    if avoid:
        settle(
            "avoid", sorted(set(avoid)), ", ".join(h.evidence for h in named_places if h.named.id in avoid)
        )
    interests = _interests(words, place_words)
    interests = meaning.add_by_meaning(text, interests, hidden=place_words, said=[c.evidence for c in chips])
    if party is not None and party.children and all(name != "family" for name, _ in interests):
        interests = sorted([*interests, ("family", party.evidence)])
    if interests:
        settle("interests", [name for name, _ in interests], ", ".join(word for _, word in interests))
    return Understanding(request=request, chips=tuple(chips))
