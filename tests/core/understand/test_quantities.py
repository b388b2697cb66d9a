"""Budgets and travelling parties read from travellers' requests, in English and Russian."""

from __future__ import annotations

import random
import string
from decimal import Decimal

import pytest

from tripwise.core.understand.quantities import Budget, Party, understand_budget, understand_party


@pytest.mark.parametrize(
    ("text", "amount", "currency", "per_person"),
    [
        ("around 20000 tenge each", "20000", "KZT", True),
        ("20 000 KZT", "20000", "KZT", False),
        ("20\u00a0000 тг", "20000", "KZT", False),
        ("₸20,000", "20000", "KZT", False),
        ("KZT 15000 per person", "15000", "KZT", True),
        ("$100", "100", "USD", False),
        ("$ 99.50", "99.50", "USD", False),
        ("100 dollars", "100", "USD", False),
        ("100 usd", "100", "USD", False),
        ("€50", "50", "EUR", False),
        ("50 euros", "50", "EUR", False),
        ("50 EUR per person", "50", "EUR", True),
        ("£40 a head", "40", "GBP", True),
        ("budget 30000", "30000", "", False),
        ("Budget: 30,000", "30000", "", False),
        ("20k", "20000", "", False),
        ("до 20000 тенге", "20000", "KZT", False),
        ("20 тыс. тенге", "20000", "KZT", False),
        ("20 тысяч тенге на человека", "20000", "KZT", True),
        ("20к тенге", "20000", "KZT", False),
        ("20k tenge", "20000", "KZT", False),
        ("1.5k usd", "1500", "USD", False),
        ("100 долларов", "100", "USD", False),
        ("50 евро", "50", "EUR", False),
        ("5000 рублей с человека", "5000", "RUB", True),
        ("3000₽", "3000", "RUB", False),
        ("бюджет 50 тысяч", "50000", "", False),
        ("2 days in Astana, budget $200 for the two of us", "200", "USD", False),
        ("с 5 по 7 декабря, до 30000 тенге", "30000", "KZT", False),
    ],
)
def test_budget(text: str, amount: str, currency: str, per_person: bool) -> None:
    budget = understand_budget(text)
    assert budget is not None
    assert (budget.amount, budget.currency, budget.per_person) == (Decimal(amount), currency, per_person)


def test_budget_evidence() -> None:
    assert understand_budget("around 20000 tenge each") == Budget(
        Decimal(20000), "KZT", True, "20000 tenge, each"
    )
    assert understand_budget("$100") == Budget(Decimal(100), "USD", False, "$100")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "museums in Astana",
        "on 5 December for 3 days",
        "we are 3",
        "2026-12-05",
        "$",
        "0 usd",
        "10000 steps",
    ],
)
def test_no_budget(text: str) -> None:
    assert understand_budget(text) is None


@pytest.mark.parametrize(
    ("text", "adults", "children"),
    [
        ("with my wife", 2, 0),
        ("my husband and I", 2, 0),
        ("we are 3", 3, 0),
        ("we're four", 4, 0),
        ("two of us", 2, 0),
        ("the three of us", 3, 0),
        ("5 people", 5, 0),
        ("family of four", 2, 2),
        ("with kids", 1, 1),
        ("with my wife and kids", 2, 1),
        ("2 adults and 1 child", 2, 1),
        ("with 2 kids", 1, 2),
        ("with my wife and 2 kids", 2, 2),
        ("we are 4 with 2 kids", 2, 2),
        ("I want to see Astana", 1, 0),
        ("solo trip", 1, 0),
        ("alone", 1, 0),
        ("as a couple", 2, 0),
        ("вдвоём", 2, 0),
        ("втроём", 3, 0),
        ("с женой", 2, 0),
        ("с мужем", 2, 0),
        ("с ребёнком", 1, 1),
        ("с детьми", 1, 1),
        ("с женой и ребёнком", 2, 1),
        ("2 взрослых и 2 детей", 2, 2),
        ("двое взрослых и трое детей", 2, 3),
        ("мы с женой и двумя детьми", 2, 2),
        ("семья из четырёх", 2, 2),
        ("семья из трех человек", 2, 1),
        ("нас 5 человек", 5, 0),
        ("еду одна", 1, 0),
        ("я хочу в Алматы", 1, 0),
    ],
)
def test_party(text: str, adults: int, children: int) -> None:
    party = understand_party(text)
    assert party is not None
    assert (party.adults, party.children) == (adults, children)


def test_party_evidence() -> None:
    assert understand_party("Going with my wife and 2 kids") == Party(2, 2, "with my wife, 2 kids")
    assert understand_party("вдвоём") == Party(2, 0, "вдвоём")


@pytest.mark.parametrize("text", ["", "museums in Astana", "next weekend for 3 days", "budget 20000 тенге"])
def test_no_party(text: str) -> None:
    assert understand_party(text) is None


def test_junk_never_raises() -> None:
    alphabet = string.printable + "абвгдеёжзийклмнопрстуфхцчшщъыьэюя₸€$₽£\u00a0к"
    words = [
        "20",
        "000",
        "k",
        "тыс.",
        "$",
        "тенге",
        "each",
        "with",
        "kids",
        "2",
        "of",
        "us",
        "семья",
        "из",
        "нас",
    ]
    generator = random.Random(20261128)
    for _ in range(3000):
        junk = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40)))
        mixed = " ".join(generator.choice(words) for _ in range(generator.randint(0, 8)))
        for text in (junk, mixed, junk + mixed):
            budget = understand_budget(text)
            assert budget is None or budget.amount > 0
            party = understand_party(text)
            assert party is None or (party.adults >= 1 and party.children >= 0)
