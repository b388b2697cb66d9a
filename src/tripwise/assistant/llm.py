"""An optional language model, behind one small interface: it may propose, it never decides.

Any server that speaks the OpenAI-compatible chat API will do (llama.cpp's `llama-server`, Ollama, vLLM, a
hosted service); see docs/llm.md. It is off unless TRIPWISE_LLM_BASE_URL is set. What it proposes is checked
as strictly as anything a traveller types: a reply that is not the request schema, or that names a place or a
destination we do not know, is dropped and the offline understanding answers instead. A phrased answer that
carries a number the facts do not hold (an invented price or hour) is dropped too.
"""

from __future__ import annotations

import http.client
import json as jsonlib
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.conf import settings

from tripwise.core.errors import TripwiseError
from tripwise.core.text import fold
from tripwise.core.trips.request import MAX_DAYS, MODES, PACES, parse_request
from tripwise.core.understand import lexicon
from tripwise.core.understand.names import Named, find_names
from tripwise.core.understand.understand import Chip, Understanding

__all__ = [
    "EVIDENCE",
    "REQUEST_KEYS",
    "ChatProvider",
    "LLMError",
    "OpenAICompatibleProvider",
    "phrase_answer",
    "propose_request",
    "provider_from_settings",
]

logger = logging.getLogger(__name__)

EVIDENCE = "LLM"  # the evidence of a chip the model proposed, where the offline reader quotes the words
REQUEST_KEYS = ("destination", "start_date", "days", "day_start", "day_end", "modes", "must_see", "avoid",
                "interests", "budget", "party", "pace")  # fmt: skip
_MAX_REPLY_BYTES = 1_000_000
_MAX_TOKENS = 1024
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Reasoning models may think aloud before answering, and many wrap JSON in a Markdown fence.
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*(.*?)\s*```$", re.DOTALL)


class LLMError(Exception):
    """The model could not be reached, or its reply was not a chat completion."""


class ChatProvider(Protocol):
    def complete(self, messages: list[dict[str, str]], *, json: bool) -> str:
        """The assistant message that answers `messages`; with json, the server is asked for a JSON object."""
        ...


class OpenAICompatibleProvider:
    """`POST {base_url}/chat/completions`, as OpenAI defined it and local servers copy it."""

    def __init__(self, *, base_url: str, model: str = "", api_key: str = "", timeout: float = 20.0) -> None:
        if not base_url.startswith(("http://", "https://")):
            # urllib would also open file:// and ftp:// addresses; a setting must never make it do so.
            raise ValueError(f"the LLM base URL must start with http:// or https://, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"OpenAICompatibleProvider(base_url={self.base_url!r}, model={self.model!r})"  # never the key

    def complete(self, messages: list[dict[str, str]], *, json: bool) -> str:
        body: dict[str, Any] = {
            "messages": messages,
            "temperature": 0,
            "max_tokens": _MAX_TOKENS,
            "stream": False,
        }
        if self.model:  # llama-server serves the one model it loaded and needs no name
            body["model"] = self.model
        if json:
            body["response_format"] = {"type": "json_object"}
        headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "tripwise"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(  # noqa: S310 - the address is http(s), checked in __init__
            f"{self.base_url}/chat/completions",
            data=jsonlib.dumps(body).encode(),
            headers=headers,
            method="POST",
        )
        try:
            # The timeout bounds the connection and each read; a non-streamed completion sends nothing until
            # it is done, so in practice it bounds the whole answer.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                raw = response.read(_MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as error:
            error.close()
            raise LLMError(f"{self.base_url} answered {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise LLMError(f"{self.base_url} could not be reached: {error.reason}") from None
        except TimeoutError:
            raise LLMError(f"{self.base_url} did not answer in {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise LLMError(f"{self.base_url} broke off its answer: {error!r}") from None
        if len(raw) > _MAX_REPLY_BYTES:
            raise LLMError(f"{self.base_url} sent more than {_MAX_REPLY_BYTES} bytes")
        try:
            content = jsonlib.loads(raw)["choices"][0]["message"]["content"]
        except (ValueError, LookupError, TypeError):
            raise LLMError(f"{self.base_url} did not send a chat completion") from None
        if not isinstance(content, str):
            raise LLMError(f"{self.base_url} sent a completion without text")
        return content


def provider_from_settings() -> ChatProvider | None:
    """The configured provider, or None: the model is off unless TRIPWISE_LLM_BASE_URL is set."""
    if not settings.LLM_BASE_URL:
        return None
    return OpenAICompatibleProvider(
        base_url=settings.LLM_BASE_URL,
        model=settings.LLM_MODEL,
        api_key=settings.LLM_API_KEY,
        timeout=settings.LLM_TIMEOUT,
    )


class _Rejected(Exception):
    """What the model proposed does not hold; the message says why (for the log)."""


def _reply_text(reply: str) -> str:
    text = _THINKING.sub("", reply).strip()
    fenced = _FENCE.match(text)
    return fenced.group(1) if fenced else text


def _request_prompt(*, today: date, destinations: Sequence[Named]) -> str:
    days_ahead = ", ".join(
        f"{day:%a} {day.isoformat()}" for day in (today + timedelta(k) for k in range(1, 15))
    )
    known = "; ".join(f"{named.id} ({named.names[0]})" for named in destinations if named.names)
    return f"""You read a traveller's trip request, in any language, and write it as one JSON object.
Today is {today:%A} {today.isoformat()}. The next days: {days_ahead}.
Known destinations (id and name): {known or "none"}.

Write only the keys the request states or clearly implies; leave every other key out. Keys:
- "destination": the id of a known destination.
- "start_date": the first day, "YYYY-MM-DD", today or later. "days": how many days, a whole number 1-{MAX_DAYS}.
- "day_start", "day_end": local times "HH:MM" when the traveller gives them.
- "modes": a list of {", ".join(f'"{mode}"' for mode in MODES)} ("no car" means ["walk", "transit"]).
- "must_see", "avoid": lists of place names exactly as the traveller writes them.
- "interests": a list of {", ".join(f'"{name}"' for name in lexicon.INTERESTS)}.
- "budget": {{"amount": number, "currency": "ISO 4217 code"}}, the most the whole party spends over the trip
  (an amount per person is multiplied by the party's size; tenge is KZT).
- "party": {{"adults": whole number, "children": whole number}}.
- "pace": one of {", ".join(f'"{pace}"' for pace in PACES)}.
Answer with the JSON object only."""


def _resolve(name: str, candidates: Sequence[Named]) -> Named | None:
    """The one candidate `name` stands for: its id, one of its names, or a name with a typo; else None."""
    for named in candidates:
        if named.id == name:
            return named
    folded = fold(name)
    if not folded:
        return None
    exact = {
        named.id: named for named in candidates for alias in (named.id, *named.names) if fold(alias) == folded
    }
    if len(exact) == 1:
        return next(iter(exact.values()))
    if exact:
        return None  # two places share the name: the model must not choose for the traveller
    words = folded.split()
    if words[0] == "the" and len(words) > 1:
        words = words[1:]
    hits = find_names(words, candidates)
    # The whole name must be one place's name, typos forgiven: "Notre-Dame Cathedral" is not "Assumption
    # Cathedral" because the one long word they share is distinctive here.
    if len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(words)):
        return hits[0].named
    return None


def _list_of_text(value: object, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise _Rejected(f"{key} is not a list of names: {value!r}")
    return [item.strip() for item in value]


def _whole(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Rejected(f"{key} is not a whole number: {value!r}")
    return value


def _amount(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Rejected(f"budget amount is not a number: {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise _Rejected(f"budget amount is not a number: {value!r}") from None
    if not amount.is_finite() or amount <= 0:
        raise _Rejected(f"budget amount is not a positive number: {value!r}")
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount.normalize():f}"


def _typed(proposal: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The proposal with every value of the right type and form; names of places are left to resolve."""
    typed: dict[str, Any] = {}
    for key, value in proposal.items():
        if key in ("destination", "day_start", "day_end", "pace"):
            if not isinstance(value, str):
                raise _Rejected(f"{key} is not a text: {value!r}")
            typed[key] = value.strip().lower() if key == "pace" else value.strip()
        elif key == "start_date":
            if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
                raise _Rejected(f"start_date is not YYYY-MM-DD: {value!r}")
            try:
                start = date.fromisoformat(value.strip())
            except ValueError:
                raise _Rejected(f"start_date is not a date: {value!r}") from None
            # A model that forgot today's date plans for the year it was trained in.
            if start < today:
                raise _Rejected(f"start_date {start} is before today {today}")
            typed[key] = start.isoformat()
        elif key == "days":
            typed[key] = _whole(value, key)
        elif key == "modes":
            modes = _list_of_text(value, key)
            if any(mode.lower() not in MODES for mode in modes):
                raise _Rejected(f"modes are not among {', '.join(MODES)}: {value!r}")
            typed[key] = sorted({mode.lower() for mode in modes} | {"walk"})
        elif key in ("must_see", "avoid"):
            typed[key] = _list_of_text(value, key)
        elif key == "interests":
            words = {word.lower() for word in _list_of_text(value, key)}
            # Interests are matched against the places' tags: a word outside the vocabulary would match
            # nothing, so it is dropped rather than shown as understood.
            known = sorted(words & set(lexicon.INTERESTS))
            if words - set(known):
                logger.info("LLM interests outside the vocabulary dropped: %s", sorted(words - set(known)))
            if known:
                typed[key] = known
        elif key == "budget":
            if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
                raise _Rejected(f'budget is not {{"amount", "currency"}}: {value!r}')
            currency = value["currency"]
            if not isinstance(currency, str):
                raise _Rejected(f"budget currency is not a text: {currency!r}")
            typed[key] = {"amount": _amount(value["amount"]), "currency": currency.strip().upper()}
        elif key == "party":
            if not isinstance(value, dict) or not value or not set(value) <= {"adults", "children"}:
                raise _Rejected(f'party is not {{"adults", "children"}}: {value!r}')
            typed[key] = {
                "adults": _whole(value.get("adults", 1), "party.adults"),
                "children": _whole(value.get("children", 0), "party.children"),
            }
    return typed


def _validated(
    data: object, *, today: date, destinations: Sequence[Named], places: Sequence[Named]
) -> dict[str, Any]:
    """The request the model proposed, checked and with ids for names; raises _Rejected saying why."""
    if not isinstance(data, dict):
        raise _Rejected(f"the reply is not a JSON object but {type(data).__name__}")
    unknown = sorted(set(data) - set(REQUEST_KEYS))
    if unknown:
        raise _Rejected(f"unknown keys {', '.join(map(str, unknown))}")
    # A key the request does not settle may come back empty rather than left out; that says nothing.
    proposal = {key: value for key, value in data.items() if value not in (None, "", [], {})}
    typed = _typed(proposal, today=today)
    try:
        # The schema's own parser judges ranges, times, codes and the rest; destination and start date may
        # be missing from a request in words, so stand-ins let it judge what is there.
        parsed = parse_request({"destination": "-", "start_date": today.isoformat(), **typed})
    except TripwiseError as error:
        raise _Rejected(error.message) from None

    destination: Named | None = None
    if "destination" in typed:
        destination = _resolve(typed["destination"], destinations)
        if destination is None:
            raise _Rejected(f"unknown destination {typed['destination']!r}")
        typed["destination"] = destination.id
    local = [place for place in places if destination is None or place.destination == destination.id]
    for key in ("must_see", "avoid"):
        if key not in typed:
            continue
        ids: set[str] = set()
        for name in typed[key]:
            place = _resolve(name, local)
            if place is None:
                raise _Rejected(f"{key}: no known place is called {name!r}")
            ids.add(place.id)
        typed[key] = sorted(ids)
    named_places = {*typed.get("must_see", ()), *typed.get("avoid", ())}
    if set(typed.get("must_see", ())) & set(typed.get("avoid", ())):
        raise _Rejected("a place is both a must-see and to avoid")
    if destination is None and named_places:
        # As offline: places that all lie in one destination settle it.
        owners = {place.destination for place in places if place.id in named_places}
        if len(owners) != 1:
            raise _Rejected(f"the places lie in {len(owners)} destinations")
        typed["destination"] = owners.pop()
    for key in ("day_start", "day_end"):
        if key in typed:
            typed[key] = f"{getattr(parsed, key):%H:%M}"
    return {key: typed[key] for key in REQUEST_KEYS if key in typed}


def propose_request(
    provider: ChatProvider,
    *,
    text: str,
    today: date,
    destinations: Sequence[Named],
    places: Sequence[Named],
) -> Understanding | None:
    """The request the model reads in `text`, checked; None (and a warning in the log) when it does not hold.

    Each proposed field gets a chip whose evidence is "LLM".
    """
    messages = [
        {"role": "system", "content": _request_prompt(today=today, destinations=destinations)},
        {"role": "user", "content": text},
    ]
    try:
        reply = provider.complete(messages, json=True)
    except LLMError as error:
        logger.warning("LLM request proposal unavailable, offline understanding used: %s", error)
        return None
    try:
        data = jsonlib.loads(_reply_text(reply))
    except ValueError:
        logger.warning("LLM request proposal rejected, offline understanding used: the reply is not JSON")
        return None
    try:
        request = _validated(data, today=today, destinations=destinations, places=places)
    except _Rejected as rejected:
        logger.warning("LLM request proposal rejected, offline understanding used: %s", rejected)
        return None
    if not request:
        logger.info("LLM proposed no field; offline understanding used")
        return None
    return Understanding(
        request=request, chips=tuple(Chip(key, value, EVIDENCE) for key, value in request.items())
    )


# A number as people write it: grouped thousands ("20 000", "20,000"), a time ("9:30"), a decimal ("1.50").
_NUMBER = re.compile(r"\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.:]\d+)?")


def _canonical(number: str) -> str:
    if ":" in number:
        hours, minutes = number.split(":")
        return f"{int(hours)}:{minutes}"
    plain = re.sub(r"[ ,\u00a0\u202f]", "", number)
    value = Decimal(plain)
    return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"


def _numbers(text: str) -> set[str]:
    return {_canonical(match) for match in _NUMBER.findall(text)}


def _allowed_numbers(facts: str) -> set[str]:
    """The numbers an answer may use: those of the facts, and the parts of their times and dates ("10 am"
    for 10:00, "1 December" for 2026-12-01)."""
    allowed = _numbers(facts)
    allowed |= {str(int(part)) for part in re.findall(r"\d+", facts)}
    return allowed


def phrase_answer(provider: ChatProvider, *, facts: str, question: str) -> str | None:
    """The facts phrased as an answer to the question, or None: on any failure, or when the answer holds a
    number, time or price that the facts do not (the model must not invent an hour or a price)."""
    messages = [
        {
            "role": "system",
            "content": "Answer the traveller's question in one to three short sentences, in the language of "
            "the question, using only the facts given. Copy every number, time, date and price exactly as the "
            "facts write it, and add none. If the facts do not answer the question, say so.",
        },
        {"role": "user", "content": f"Facts:\n{facts}\n\nQuestion: {question}"},
    ]
    try:
        answer = _reply_text(provider.complete(messages, json=False))
    except LLMError as error:
        logger.warning("LLM answer unavailable: %s", error)
        return None
    if not answer:
        return None
    invented = _numbers(answer) - _allowed_numbers(facts)
    if invented:
        logger.warning("LLM answer rejected: numbers not in the facts: %s", ", ".join(sorted(invented)))
        return None
    return answer
