"""How much a traveller means to spend and who travels, read offline from their words in English and Russian.

Decisions worth knowing:

* A budget with no currency ("budget 30000") has currency "": the caller knows the city and decides.
* "each", "per person", "на человека", "с человека" anywhere in the text make the budget per person.
* Children mentioned without a number ("with kids", "с детьми") count as one child: at least one is certain,
  and a plan that fits one child is the cheapest wrong guess to correct.
* Children without any adult mentioned travel with one adult, the writer.
* "family of N" is two adults and N - 2 children (N of 2 or fewer: N adults), the commonest family.
* A bare "I"/"я" means one adult, but only when nothing else says who travels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Budget", "Party", "understand_budget", "understand_party"]


@dataclass(frozen=True)
class Budget:
    """An amount of money, its ISO currency code ("" when unknown), and whether it is for each traveller."""

    amount: Decimal
    currency: str
    per_person: bool
    evidence: str


@dataclass(frozen=True)
class Party:
    """How many adults and children travel."""

    adults: int
    children: int
    evidence: str


def _normalise(text: str) -> str:
    # Same length as the input, so that match positions slice the original words for the evidence.
    chars = []
    for char in text:
        lower = char.lower()[:1] or char
        chars.append({"ё": "е", "\u00a0": " ", "\u202f": " ", "–": "-", "—": "-"}.get(lower, lower))
    return "".join(chars)


def _evidence(text: str, *spans: tuple[int, int]) -> str:
    return ", ".join(" ".join(text[start:end].split()) for start, end in sorted(set(spans)))


# --- Budget ---------------------------------------------------------------------------------------------------

_CURRENCY_WORDS = {
    "KZT": r"₸|kzt|tenge|тенге|тг\.?|тнг",
    "USD": r"\$|usd|us\s+dollars?|dollars?|bucks|доллар\w*|бакс\w*",
    "EUR": r"€|eur|euros?|евро",
    "RUB": r"₽|rub|rubles?|roubles?|руб\w*\.?",
    "GBP": r"£|gbp|pounds?(?:\s+sterling)?|фунт\w*",
}
_CURRENCY = "|".join(f"(?P<{code}>{words})" for code, words in _CURRENCY_WORDS.items())
# Thousands grouped by spaces or commas ("20 000", "20,000") or a plain number with decimals ("19.99").
_AMOUNT = r"(?P<number>\d{1,3}(?:[ ,]\d{3})+(?![\d,])|\d+(?:[.,]\d{1,2})?(?!\d))"
_MULTIPLIER = r"(?:\s*(?P<multiplier>k|к|тыс\.?|тысяч[аи]?|thousand|mln|million|млн\.?|миллион\w*)(?!\w))?"
# The currency is written before the amount ("$100", "KZT 20000") or after it ("100 usd", "20к тенге").
_MONEY = (
    re.compile(rf"(?<![\w$€₸₽£])(?:{_CURRENCY})\s*{_AMOUNT}{_MULTIPLIER}"),
    re.compile(rf"(?<![\w.,]){_AMOUNT}{_MULTIPLIER}\s*(?:{_CURRENCY})(?!\w)"),
)
# Without a currency only a number after a word about money is a budget: otherwise it could be a date or a count.
_BARE = re.compile(
    r"\b(?:budget|бюджет\w*|spend|потратить|max|maximum|максимум)\b(?:\s+(?:of|is|about|around|up\s+to|under|до"
    r"|около|примерно|в|на|—|-|:))*\s*:?\s*"
    rf"{_AMOUNT}{_MULTIPLIER}(?!\s*(?:days?|nights?|people|дн|ноч|человек))"
)
# "20k", "20 тыс.": a number in thousands is money even with no currency and no word about a budget.
_THOUSANDS = re.compile(
    r"(?<![\w.,])(?P<number>\d+(?:[.,]\d{1,2})?)\s*(?P<multiplier>k|к|тыс\.?|тысяч[аи]?|thousand)(?!\w)"
    r"(?!\s*(?:steps|km|км|miles|people|человек))"
)
_PER_PERSON = re.compile(
    r"\b(?:each|per\s+person|per\s+head|a\s+head|a\s+person|pp|p\.p\.|per\s+pax|apiece|per\s+traveller"
    r"|per\s+traveler|на\s+человека|с\s+человека|на\s+каждого|на\s+одного|каждому|на\s+нос|с\s+носа"
    r"|на\s+душу|с\s+души|на\s+персону)(?!\w)"
)
_MULTIPLIERS = {"k": 1000, "к": 1000, "тыс": 1000, "тыс.": 1000, "thousand": 1000, "mln": 1_000_000}


def _multiplier(word: str | None) -> int:
    if not word:
        return 1
    if word.startswith(("тысяч", "тыс")):
        return 1000
    if word.startswith(("млн", "миллион", "million")):
        return 1_000_000
    return _MULTIPLIERS.get(word, 1)


def _amount(number: str, multiplier: str | None) -> Decimal | None:
    if re.fullmatch(r"\d{1,3}(?:[ ,]\d{3})+", number):
        digits = number.replace(" ", "").replace(",", "")
    else:
        digits = number.replace(",", ".")
    try:
        amount = Decimal(digits) * _multiplier(multiplier)
    except InvalidOperation:
        return None
    return amount if amount > 0 else None


def understand_budget(text: str) -> Budget | None:
    """The money the text mentions first (in a currency if any names one), or None when it names none."""
    lowered = _normalise(text)
    per_person = _PER_PERSON.search(lowered)
    extra = (per_person.span(),) if per_person else ()
    matches = sorted(
        (match for pattern in _MONEY for match in pattern.finditer(lowered)), key=lambda m: m.start()
    )
    for match in matches:
        amount = _amount(match["number"], match["multiplier"])
        if amount is None:
            continue
        currency = next(code for code in _CURRENCY_WORDS if match[code])
        return Budget(amount, currency, per_person is not None, _evidence(text, match.span(), *extra))
    for match in (*_BARE.finditer(lowered), *_THOUSANDS.finditer(lowered)):
        amount = _amount(match["number"], match["multiplier"])
        if amount is not None:
            return Budget(amount, "", per_person is not None, _evidence(text, match.span(), *extra))
    return None


# --- Party ----------------------------------------------------------------------------------------------------

# Counts of people, in the cases Russian puts them in ("двое", "двоих", "двух", "с двумя").
_PEOPLE_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "a": 1, "an": 1,
    "один": 1, "одна": 1, "одного": 1, "одной": 1, "одним": 1, "одну": 1,
    "два": 2, "две": 2, "двое": 2, "двух": 2, "двоих": 2, "двумя": 2,
    "три": 3, "трое": 3, "трех": 3, "троих": 3, "тремя": 3,
    "четыре": 4, "четверо": 4, "четырех": 4, "четверых": 4, "четырьмя": 4,
    "пять": 5, "пятеро": 5, "пяти": 5, "пятерых": 5, "пятью": 5,
    "шесть": 6, "шестеро": 6, "шести": 6, "шестерых": 6,
    "семь": 7, "семеро": 7, "семи": 7, "семерых": 7,
}  # fmt: skip
_N = r"(?P<n>\d{1,2}|" + "|".join(sorted(_PEOPLE_WORDS, key=len, reverse=True)) + r")"

_ADULTS = re.compile(rf"(?<!\w){_N}\s+(?:adults?|grown-?ups?|взросл\w*)(?!\w)")
_CHILDREN = re.compile(
    rf"(?<!\w){_N}\s+(?:(?:little|small|young|маленьк\w*)\s+)?(?:kids?|children|child|babies|baby|toddlers?"
    r"|sons?|daughters?|дет(?:ей|и|ьми)|ребен\w*|малыш\w*|сын\w*|дочер\w*|дочк\w*)(?!\w)"
)
_SOME_CHILDREN = re.compile(
    r"\b(?:with|and|plus)\s+(?:the\s+|my\s+|our\s+|a\s+|an\s+|little\s+|small\s+)*(?:kids?|children|child|baby"
    r"|toddler|son|daughter)\b"
    r"|(?<!\w)(?:с|и)\s+(?:моим\w*\s+|нашим\w*\s+|маленьк\w*\s+)?(?:детьми|ребенком|малышом|малышами|сыном"
    r"|дочкой|дочерью|сыновьями|дочками|дочерьми)(?!\w)"
)
_COMPANION = re.compile(
    r"\b(?:with|and)\s+(?:my\s+)?(?:wife|husband|partner|spouse|girlfriend|boyfriend|fiance|fiancee|friend"
    r"|mum|mom|dad|mother|father|sister|brother)\b"
    r"|\b(?:my\s+)(?:wife|husband|partner|spouse|girlfriend|boyfriend)\s+and\s+(?:i|me)\b"
    r"|(?<!\w)(?:с|и)\s+(?:моей\s+|моим\s+)?(?:женой|мужем|супругой|супругом|девушкой|парнем|подругой|другом"
    r"|мамой|папой|сестрой|братом|невестой|женихом)(?!\w)"
)
_TOTAL = re.compile(
    rf"\b(?:we\s+are|we're|we\s+will\s+be|we'll\s+be|there\s+are|there\s+will\s+be|party\s+of|group\s+of)\s+{_N}\b"
    rf"|(?<!\w)(?:the\s+)?{_N.replace('<n>', '<n2>')}\s+of\s+us\b"
    rf"|(?<!\w){_N.replace('<n>', '<n3>')}\s+(?:people|persons|travell?ers|pax|guests|человек\w*|туристов)(?!\w)"
    rf"|(?<!\w)нас\s+(?:будет\s+)?{_N.replace('<n>', '<n4>')}(?!\w)"
    r"|(?<!\w)(?P<together>вдвоем|втроем|вчетвером|впятером|вшестером|всемером)(?!\w)"
    r"|\b(?P<couple>as\s+a\s+couple|we\s+are\s+a\s+couple|we're\s+a\s+couple|a\s+couple\s+(?:of\s+adults|travell?ing))\b"
)
_TOGETHER = {"вдвоем": 2, "втроем": 3, "вчетвером": 4, "впятером": 5, "вшестером": 6, "всемером": 7}
_FAMILY = re.compile(rf"\b(?:family\s+of|семья\s+из|семьей\s+из)\s+{_N}(?!\w)")
_SOLO = re.compile(
    r"\b(?:solo|alone|by\s+myself|on\s+my\s+own|just\s+me|only\s+me)\b"
    r"|(?<!\w)(?:один|одна|в\s+одиночку|одному|одной)(?!\w)"
)
_I = re.compile(r"\b(?:i|i'm|i'd|i'll|me|myself)\b|(?<!\w)я(?!\w)")


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word) or None
    return _PEOPLE_WORDS.get(word)


def understand_party(text: str) -> Party | None:
    """Who travels according to the text, or None when it does not say."""
    lowered = _normalise(text)
    spans: list[tuple[int, int]] = []
    adults: int | None = None
    children: int | None = None
    total: int | None = None

    if match := _ADULTS.search(lowered):
        adults = _count(match["n"])
        spans.append(match.span())
    if match := _CHILDREN.search(lowered):
        children = _count(match["n"])
        spans.append(match.span())
    elif match := _SOME_CHILDREN.search(lowered):
        children = 1
        spans.append(match.span())
    if match := _FAMILY.search(lowered):
        size = _count(match["n"])
        spans.append(match.span())
        if size is not None:
            total = size
            if adults is None and children is None:
                adults, children = (2, size - 2) if size > 2 else (size, 0)
    elif match := _TOTAL.search(lowered):
        spans.append(match.span())
        if match["together"]:
            total = _TOGETHER[match["together"]]
        elif match["couple"]:
            total = 2
        else:
            total = _count(match["n"] or match["n2"] or match["n3"] or match["n4"])
    if adults is None and (companion := _COMPANION.search(lowered)):
        adults = 2
        spans.append(companion.span())

    if adults is None and total is not None:
        adults = max(1, total - (children or 0))
    if adults is None and children is not None:
        adults = 1  # children travel with the writer
    if adults is None:
        solo = _SOLO.search(lowered) or _I.search(lowered)
        if solo is None:
            return None
        adults = 1
        spans.append(solo.span())
    return Party(adults=adults, children=children or 0, evidence=_evidence(text, *spans))
