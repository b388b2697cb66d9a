"""Finding the places and destinations a request names, however they are spelled or mistyped.

Names are compared on folded text (any script, any case), word window by word window, with a similarity
ratio that forgives a typo or a Russian case ending ("Байтерека" is still Bayterek). A short name must match
exactly: "Expo" or "Park" are too common to guess at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from tripwise.core.text import fold

__all__ = ["Found", "Named", "find_names"]

SIMILAR = 0.8  # ratio for a match: "alzhyr" ~ "alzhir", "baitereka" ~ "baiterek", "astanu" ~ "astana"
SHORTENED = 0.9  # how alike a shortened name's one word must be, and how much less it counts
DISTINCTIVE = 8  # a word this long that only one place's names hold stands for the place ("tuomiokirkko")
EXACT_BELOW = 5  # names shorter than this (folded) must match exactly


@dataclass(frozen=True)
class Named:
    """Something a request may name: a destination or a place, with every name it goes by."""

    id: str
    names: tuple[str, ...]
    destination: str = ""  # a place's destination id
    currency: str = ""  # a destination's local currency


@dataclass(frozen=True)
class Found:
    named: Named
    start: int  # word position in the folded text
    end: int
    evidence: str
    likeness: float = 1.0  # 1.0 for the name as written; lower for a typo, a case ending, a shortened name


@lru_cache(maxsize=65536)
def _folded(name: str) -> str:
    # Cyrillic х is transliterated "kh", which Latin spellings write "h" (Хельсинки, Хазрет): compare alike.
    return fold(name).replace("kh", "h")


def _distinctive_words(candidates: Sequence[Named]) -> dict[str, Named]:
    """Long words that appear in the names of exactly one candidate, for names people shorten."""
    owners: dict[str, set[str]] = {}
    by_id = {named.id: named for named in candidates}
    for named in candidates:
        for name in named.names:
            for word in _folded(name).split():
                if len(word) >= DISTINCTIVE:
                    owners.setdefault(word, set()).add(named.id)
    return {word: by_id[next(iter(ids))] for word, ids in owners.items() if len(ids) == 1}


def _likeness(a: str, b: str) -> float:
    """How alike a window of the text and a name are, 0 when not alike enough to count."""
    if a == b:
        return 1.0
    if len(b) < EXACT_BELOW or a[:1] != b[:1]:
        return 0.0
    matcher = SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < SIMILAR:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= SIMILAR else 0.0


def find_names(words: Sequence[str], candidates: Sequence[Named]) -> list[Found]:
    """Every candidate named in `words` (folded words), best (longest) matches first, none overlapping."""
    words = [word.replace("kh", "h") for word in words]
    hits: list[Found] = []
    distinctive = _distinctive_words(candidates)
    for position, word in enumerate(words):
        for long_word, named in distinctive.items():
            # A shortened name is a weaker clue than a whole one: it must be written nearly as it is.
            likeness = _likeness(word, long_word)
            if likeness >= SHORTENED:
                hits.append(Found(named, position, position + 1, word, likeness * SHORTENED))
    for named in candidates:
        best: Found | None = None
        for name in named.names:
            target = _folded(name)
            size = len(target.split())
            if not target or len(target) < 3:
                continue
            for start in range(0, len(words) - size + 1):
                window = " ".join(words[start : start + size])
                likeness = _likeness(window, target)
                if likeness and (best is None or (size, likeness) > (best.end - best.start, best.likeness)):
                    best = Found(named, start, start + size, window, likeness)
        if best is not None:
            hits.append(best)
    hits.sort(key=lambda found: (-(found.end - found.start), -found.likeness, found.start))
    taken: set[int] = set()
    kept: list[Found] = []
    for found in hits:
        span = set(range(found.start, found.end))
        if not span & taken:
            kept.append(found)
            taken |= span
    return kept
