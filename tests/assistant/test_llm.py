"""The optional language model, against a real local server that speaks the chat completions API.

The server answers with scripted replies, so each test knows what the "model" said: a proposal that holds is
used with its place names turned into ids; anything else (an unknown place, broken JSON, a server error, a
server too slow) leaves the offline understanding in charge, quickly.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from tripwise.assistant.llm import (
    LLMError,
    OpenAICompatibleProvider,
    phrase_answer,
    propose_request,
    provider_from_settings,
)
from tripwise.assistant.selectors import understand_text

TODAY = date(2026, 11, 28)  # a Saturday
TEXT = "Two days in Astana from Monday, the two of us, no car, slowly; we must see ALZHIR and the Baiterek"


@dataclass
class Scripted:
    """One reply of the fake server: the assistant's message, or a raw body, after an optional delay."""

    content: str | None = None
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ChatServer:
    url: str
    replies: list[Scripted] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def reply(self, content: object) -> None:
        self.replies.append(Scripted(content if isinstance(content, str) else json.dumps(content)))

    def provider(self, **options: Any) -> OpenAICompatibleProvider:
        return OpenAICompatibleProvider(
            base_url=self.url, **{"model": "test-model", "timeout": 5.0, **options}
        )


class _Handler(BaseHTTPRequestHandler):
    chat: ChatServer  # set on a subclass per server

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.chat.received.append(Received(self.path, dict(self.headers.items()), body))
        reply = (
            self.chat.replies.pop(0) if self.chat.replies else Scripted(status=500, body=b"no reply scripted")
        )
        if reply.delay:
            self.chat.release.wait(reply.delay)  # set when the test ends, so no thread outlives it
        payload = reply.body
        if payload is None:
            completion = {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "model": body.get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply.content},
                        "finish_reason": "stop",
                    }
                ],
            }
            payload = json.dumps(completion).encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    chat = ChatServer(url=f"http://127.0.0.1:{server.server_address[1]}/v1")
    handler.chat = chat
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield chat
    chat.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


def offline(text: str = TEXT) -> dict[str, Any]:
    return understand_text(text=text, today=TODAY, provider=None).request


GOOD = {
    "destination": "Astana",
    "start_date": "2026-11-30",
    "days": 2,
    "day_start": "9:30",
    "modes": ["transit"],
    "must_see": ["Alzhyr museum", "Baiterek", "alzhir-museum"],
    "avoid": ["Хан Шатыр"],
    "interests": ["History", "opera"],
    "budget": {"amount": 40000, "currency": "kzt"},
    "party": {"adults": 2},
    "pace": "relaxed",
}


@pytest.mark.django_db
def test_a_proposal_that_holds_is_used_with_place_names_turned_into_ids(chat: ChatServer) -> None:
    chat.reply(GOOD)
    understood = understand_text(text=TEXT, today=TODAY, provider=chat.provider(api_key="sk-local-1"))
    assert understood.request == {
        "destination": "astana",
        "start_date": "2026-11-30",
        "days": 2,
        "day_start": "09:30",
        "modes": ["transit", "walk"],
        "must_see": ["alzhir-museum", "bayterek-tower"],
        "avoid": ["khan-shatyr"],
        "interests": ["history"],  # "opera" is no interest the planner knows
        "budget": {"amount": "40000", "currency": "KZT"},
        "party": {"adults": 2, "children": 0},
        "pace": "relaxed",
    }
    assert [(chip.field, chip.value) for chip in understood.chips] == list(understood.request.items())
    assert {chip.evidence for chip in understood.chips} == {"LLM"}

    [sent] = chat.received
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["Authorization"] == "Bearer sk-local-1"
    assert sent.body["model"] == "test-model"
    assert sent.body["response_format"] == {"type": "json_object"}
    system, user = sent.body["messages"]
    assert (system["role"], user) == ("system", {"role": "user", "content": TEXT})
    assert "Today is Saturday 2026-11-28" in system["content"]
    assert "Mon 2026-11-30" in system["content"]
    assert "astana (Astana)" in system["content"]


@pytest.mark.django_db
def test_a_fenced_reply_after_the_models_thinking_is_read(chat: ChatServer) -> None:
    chat.reply(
        '<think>Monday is the 30th.</think>\n```json\n{"destination": "astana", "start_date": "2026-11-30"}\n```'
    )
    understood = understand_text(text=TEXT, today=TODAY, provider=chat.provider())
    assert understood.request == {"destination": "astana", "start_date": "2026-11-30"}
    assert "Authorization" not in chat.received[0].headers  # no key, no header


@pytest.mark.django_db
def test_places_alone_settle_the_destination(chat: ChatServer) -> None:
    chat.reply({"must_see": ["Bayterek Tower"], "avoid": [], "pace": None})
    understood = understand_text(text="Bayterek please", today=TODAY, provider=chat.provider())
    assert understood.request == {"destination": "astana", "must_see": ["bayterek-tower"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ({"destination": "astana", "must_see": ["Louvre"]}, "no known place is called 'Louvre'"),
        # "cathedral" is a word only the Assumption Cathedral's names hold here; it must not stand for another.
        ({"must_see": ["Notre-Dame Cathedral"]}, "no known place is called 'Notre-Dame Cathedral'"),
        ({"avoid": ["ALZHIR and Khan Shatyr"]}, "no known place is called"),
        ({"destination": "Paris", "days": 2}, "unknown destination 'Paris'"),
        ({"destination": "astana", "hotel": "Rixos"}, "unknown keys hotel"),
        ({"destination": "astana", "days": "two"}, "days is not a whole number"),
        ({"destination": "astana", "days": 40}, "days: give a whole number from 1 to 14"),
        ({"destination": "astana", "start_date": "2024-11-30"}, "before today"),
        ({"destination": "astana", "start_date": "30.11.2026"}, "start_date is not YYYY-MM-DD"),
        ({"destination": "astana", "day_start": "18:00", "day_end": "09:00"}, "day_end: 09:00 is not after"),
        ({"destination": "astana", "modes": ["plane"]}, "modes are not among walk, transit, car"),
        ({"destination": "astana", "pace": "frantic"}, "'frantic' is not a pace"),
        ({"destination": "astana", "budget": {"amount": "lots", "currency": "KZT"}}, "not a number"),
        ({"destination": "astana", "budget": {"amount": 100, "currency": "tenge"}}, "not an ISO 4217 code"),
        ({"destination": "astana", "party": {"adults": 2, "pets": 1}}, "party is not"),
        ({"must_see": ["ALZHIR"], "avoid": ["ALZHIR Museum"]}, "both a must-see and to avoid"),
        ([{"destination": "astana"}], "not a JSON object but list"),
        ('{"destination": "astana", "days": 2', "the reply is not JSON"),
        ("Sure! Here is the request you asked for.", "the reply is not JSON"),
    ],
)
def test_a_proposal_that_does_not_hold_leaves_the_offline_understanding(
    chat: ChatServer, caplog: pytest.LogCaptureFixture, reply: object, why: str
) -> None:
    chat.reply(reply)
    with caplog.at_level(logging.WARNING, logger="tripwise.assistant.llm"):
        understood = understand_text(text=TEXT, today=TODAY, provider=chat.provider())
    assert understood.request == offline()
    assert understood.request["must_see"] == ["alzhir-museum", "bayterek-tower"]  # the offline reader's work
    assert all(chip.evidence != "LLM" for chip in understood.chips)
    assert len(chat.received) == 1
    assert why in caplog.text
    assert "rejected, offline understanding used" in caplog.text


@pytest.mark.django_db
def test_an_empty_proposal_leaves_the_offline_understanding(chat: ChatServer) -> None:
    chat.reply({"destination": None, "must_see": []})
    assert understand_text(text=TEXT, today=TODAY, provider=chat.provider()).request == offline()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scripted",
    [
        Scripted(status=500, body=b'{"error": {"message": "model crashed"}}'),
        Scripted(status=401, body=b'{"error": {"message": "bad key"}}'),
        Scripted(body=b'{"error": "not a completion"}'),
        Scripted(body=b"<html>a proxy page</html>"),
        Scripted(content=None),  # a completion whose message has no text
    ],
)
def test_a_server_that_fails_leaves_the_offline_understanding(
    chat: ChatServer, caplog: pytest.LogCaptureFixture, scripted: Scripted
) -> None:
    chat.replies.append(scripted)
    with caplog.at_level(logging.WARNING, logger="tripwise.assistant.llm"):
        understood = understand_text(text=TEXT, today=TODAY, provider=chat.provider())
    assert understood.request == offline()
    assert "LLM request proposal unavailable, offline understanding used" in caplog.text


@pytest.mark.django_db
def test_a_server_too_slow_is_given_up_on_quickly(chat: ChatServer, caplog: pytest.LogCaptureFixture) -> None:
    chat.replies.append(Scripted(content=json.dumps({"destination": "astana"}), delay=10))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="tripwise.assistant.llm"):
        understood = understand_text(text=TEXT, today=TODAY, provider=chat.provider(timeout=0.3))
    assert time.monotonic() - started < 2
    assert understood.request == offline()
    assert "did not answer in 0.3 s" in caplog.text


@pytest.mark.django_db
def test_a_server_that_is_not_there_leaves_the_offline_understanding() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = OpenAICompatibleProvider(base_url=f"http://127.0.0.1:{port}/v1", timeout=2)
    started = time.monotonic()
    assert understand_text(text=TEXT, today=TODAY, provider=provider).request == offline()
    assert time.monotonic() - started < 2
    with pytest.raises(LLMError, match="could not be reached"):
        provider.complete([{"role": "user", "content": "hello"}], json=False)


@pytest.mark.django_db
def test_the_provider_comes_from_settings_and_is_off_by_default(chat: ChatServer) -> None:
    with override_settings(LLM_BASE_URL=""):
        assert provider_from_settings() is None
        assert understand_text(text=TEXT, today=TODAY).request == offline()
    assert chat.received == []
    settings = {"LLM_BASE_URL": chat.url, "LLM_MODEL": "qwen", "LLM_API_KEY": "sk-2", "LLM_TIMEOUT": 3.0}
    with override_settings(**settings):
        provider = provider_from_settings()
        assert isinstance(provider, OpenAICompatibleProvider)
        assert (provider.base_url, provider.model, provider.timeout) == (chat.url, "qwen", 3.0)
        assert "sk-2" not in repr(provider)
        chat.reply({"destination": "astana", "days": 3})
        understood = understand_text(text=TEXT, today=TODAY)
    assert understood.request == {"destination": "astana", "days": 3}
    assert chat.received[0].body["model"] == "qwen"
    assert chat.received[0].headers["Authorization"] == "Bearer sk-2"


@pytest.mark.django_db
def test_empty_words_are_not_sent_to_the_model(chat: ChatServer) -> None:
    assert understand_text(text="  ", today=TODAY, provider=chat.provider()).request == {}
    assert chat.received == []


def test_only_web_addresses_are_accepted() -> None:
    with pytest.raises(ValueError, match="must start with http:// or https://"):
        OpenAICompatibleProvider(base_url="file:///etc/passwd")


def test_propose_request_can_be_used_without_the_database(chat: ChatServer) -> None:
    from tripwise.core.understand.names import Named

    helsinki = Named(id="helsinki", names=("Helsinki", "Хельсинки"), currency="EUR")
    cathedral = Named(
        id="helsinki-cathedral", names=("Helsinki Cathedral", "Tuomiokirkko"), destination="helsinki"
    )
    chat.reply({"destination": "Хельсинки", "must_see": ["Tuomiokirkko"]})
    understood = propose_request(
        chat.provider(), text="Хельсинки, собор", today=TODAY, destinations=[helsinki], places=[cathedral]
    )
    assert understood is not None
    assert understood.request == {"destination": "helsinki", "must_see": ["helsinki-cathedral"]}


FACTS = (
    "ALZHIR Museum: open Tu-Su 10:00-17:00, closed on Mondays. Ticket without a guided tour: 1.50 USD; "
    "bus 300 from Asia Park, hourly 07:00-20:00, fare 20 000 KZT for a group."
)
QUESTION = "Is ALZHIR open on Monday?"


@pytest.mark.parametrize(
    "answer",
    [
        "No: ALZHIR is closed on Mondays. It opens Tuesday to Sunday, 10:00-17:00.",
        "No, it is closed on Mondays; come on Tuesday from 10 am (ticket 1.5 USD).",
        "Нет, по понедельникам музей закрыт; со вторника по воскресенье 10:00–17:00, группа платит 20,000 KZT.",
        "No, it is closed on Mondays.",
    ],
)
def test_a_phrased_answer_that_keeps_to_the_facts_is_given(chat: ChatServer, answer: str) -> None:
    chat.reply(answer)
    assert phrase_answer(chat.provider(), facts=FACTS, question=QUESTION) == answer
    [sent] = chat.received
    assert "response_format" not in sent.body
    assert FACTS in sent.body["messages"][1]["content"]
    assert QUESTION in sent.body["messages"][1]["content"]


@pytest.mark.parametrize(
    ("answer", "invented"),
    [
        ("No, but on Tuesday it opens at 9:00.", "9:00"),
        ("It is closed on Mondays; tickets cost 2.50 USD.", "2.5"),
        ("Closed on Mondays. The last bus leaves at 19:30.", "19:30"),
        ("Closed on Mondays; a taxi costs about 8000 KZT.", "8000"),
    ],
)
def test_a_phrased_answer_with_a_number_the_facts_do_not_hold_is_refused(
    chat: ChatServer, caplog: pytest.LogCaptureFixture, answer: str, invented: str
) -> None:
    chat.reply(answer)
    with caplog.at_level(logging.WARNING, logger="tripwise.assistant.llm"):
        assert phrase_answer(chat.provider(), facts=FACTS, question=QUESTION) is None
    assert f"numbers not in the facts: {invented}" in caplog.text


def test_a_phrased_answer_is_none_when_the_server_fails_or_says_nothing(chat: ChatServer) -> None:
    chat.replies.append(Scripted(status=503, body=b"overloaded"))
    assert phrase_answer(chat.provider(), facts=FACTS, question=QUESTION) is None
    chat.reply("<think>nothing to add</think>  ")
    assert phrase_answer(chat.provider(), facts=FACTS, question=QUESTION) is None
