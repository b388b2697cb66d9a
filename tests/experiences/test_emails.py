"""The emails of bookings and applications, as a mail client receives them from a real SMTP server: the
subject, both parts, the reference, a manage link that works, and a calendar file a calendar accepts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import resolve
from icalendar import Calendar

from tests.experiences.helpers import ALMATY, DAY_TRIP, TOUR, carol, departure, local, seats_taken
from tests.smtp import Inbox, body, smtp_inbox
from tripwise.experiences.applications import application_submit
from tripwise.experiences.models import Booking
from tripwise.experiences.services import Party, booking_cancel, booking_confirm, booking_hold
from tripwise.mail.models import OutboxEmail

__all__ = ["smtp_inbox"]  # the fixture, used by name

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
NOW = local(2026, 12, 1, 12, 0)
START = local(2026, 12, 10, 9, 30)
WHEN = "Thursday 10 December 2026, 09:30 (Asia/Almaty time)"


def confirmed_booking(capture: Capture) -> Booking:
    slot = departure(DAY_TRIP, START)
    with capture(execute=True):
        booking, _ = booking_hold(
            slot=slot, party=Party(adults=2, children=1), traveller=carol(), confirm=True, now=NOW
        )
    return booking


def calendar_of(message: EmailMessage) -> tuple[str, Calendar]:
    (attachment,) = list(message.iter_attachments())
    assert isinstance(attachment, EmailMessage)
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return attachment.get_content_type(), Calendar.from_ical(payload)


def event_of(calendar: Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


def test_a_confirmed_booking_email_arrives_whole(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Capture, client: Client
) -> None:
    booking = confirmed_booking(django_capture_on_commit_callbacks)
    (message,) = smtp_inbox.messages
    assert smtp_inbox.recipients == [["carol@example.org"]]
    assert message["To"] == "carol@example.org"
    assert (
        message["Subject"]
        == f"Booked: Day trip from Astana to ALZHIR, with transport, {WHEN} ({booking.reference})"
    )

    text = body(message)
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html = str(html_part.get_content())
    for part in (text, html):
        assert booking.reference in part
        assert "Bus bay in front of Asia Park" in part
        assert "39000.00 KZT" in part
    assert "Hello Carol Traveller" in text

    manage = f"{settings.SITE_URL}/bookings/{booking.code}/"
    assert manage in text
    assert f'href="{manage}"' in html
    path = urlsplit(manage).path
    match = resolve(path)
    assert match.view_name == "experiences:booking"
    assert match.kwargs == {"code": booking.code}
    page = client.get(path)
    assert page.status_code == 200
    assert booking.reference in page.content.decode()

    content_type, calendar = calendar_of(message)
    assert content_type == "text/calendar"
    assert str(calendar["METHOD"]) == "REQUEST"
    event = event_of(calendar)
    assert event["DTSTART"].params["TZID"] == "Asia/Almaty"
    start = event.decoded("DTSTART")
    assert start == START
    assert start.astimezone(ALMATY).isoformat() == "2026-12-10T09:30:00+05:00"
    assert event.decoded("DTEND") == START + timedelta(minutes=300)
    assert event["DTEND"].params["TZID"] == "Asia/Almaty"
    assert str(event["LOCATION"]) == "Bus bay in front of Asia Park"
    assert str(event["UID"]) == f"booking-{booking.reference}@tripwise"
    assert str(event["SUMMARY"]) == "Day trip from Astana to ALZHIR, with transport"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert calendar.walk("VTIMEZONE")  # the zone travels with the file


def test_confirming_a_hold_sends_the_email_once(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Capture
) -> None:
    slot = departure(DAY_TRIP, START)
    with django_capture_on_commit_callbacks(execute=True):
        booking, _ = booking_hold(slot=slot, party=Party(adults=1), traveller=carol(), now=NOW)
    assert smtp_inbox.messages == []  # a hold is not a booking yet
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            booking_confirm(booking=booking, now=NOW + timedelta(minutes=3))
    assert len(smtp_inbox.messages) == 1
    assert smtp_inbox.last()["Subject"].startswith("Booked: ")


def test_a_cancellation_email_takes_the_event_out_of_the_calendar(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Capture
) -> None:
    booking = confirmed_booking(django_capture_on_commit_callbacks)
    _type, booked = calendar_of(smtp_inbox.messages[0])
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, now=START - timedelta(hours=48))
    message = smtp_inbox.last()
    assert len(smtp_inbox.messages) == 2
    assert (
        message["Subject"]
        == f"Cancelled: Day trip from Astana to ALZHIR, with transport, {WHEN} ({booking.reference})"
    )
    assert "Refund: 39000.00 KZT." in body(message)
    content_type, calendar = calendar_of(message)
    assert content_type == "text/calendar"
    assert str(calendar["METHOD"]) == "CANCEL"
    event = event_of(calendar)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(event_of(booked)["UID"])
    assert int(event["SEQUENCE"]) > int(event_of(booked)["SEQUENCE"])
    assert event.decoded("DTSTART") == START


def test_the_providers_new_application_email_replies_to_the_traveller(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Capture
) -> None:
    slot = departure(TOUR, local(2026, 12, 1, 11, 0))
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(
            slot=slot,
            party=Party(adults=2, children=1),
            traveller=carol(),
            message="Is the film room open?",
            now=local(2026, 11, 27, 10, 0),
        )
    by_recipient = {
        tuple(recipients): message
        for recipients, message in zip(smtp_inbox.recipients, smtp_inbox.messages, strict=True)
    }
    assert set(by_recipient) == {("carol@example.org",), ("tours@alzhir-museum.example",)}
    museum = by_recipient[("tours@alzhir-museum.example",)]
    assert museum["Reply-To"] == "carol@example.org"
    assert museum["Subject"] == (
        f"New application: ALZHIR guided tour in English, Tuesday 01 December 2026, 11:00 (Asia/Almaty time) "
        f"({application.reference})"
    )
    text = body(museum)
    assert "From: Carol Traveller <carol@example.org>" in text
    assert "People: 2 adults, 1 child" in text
    assert "Message: Is the film room open?" in text
    link = next(word for word in text.split() if word.startswith(settings.SITE_URL))
    assert resolve(urlsplit(link).path).view_name == "experiences:provider_application"
    traveller = by_recipient[("carol@example.org",)]
    assert traveller["Reply-To"] is None


def test_nothing_is_sent_for_a_booking_that_rolled_back(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Capture
) -> None:
    slot = departure(DAY_TRIP, START)

    class Abandoned(Exception):
        pass

    def book_then_give_up() -> None:
        with transaction.atomic():
            booking_hold(slot=slot, party=Party(adults=2), traveller=carol(), confirm=True, now=NOW)
            raise Abandoned

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Abandoned):
        book_then_give_up()
    assert callbacks == []
    assert smtp_inbox.messages == []
    assert not Booking.objects.filter(slot=slot).exists()
    assert not OutboxEmail.objects.filter(kind="booking_confirmed").exists()
    assert seats_taken(slot) == 0


def test_the_email_time_is_the_places_not_the_servers(
    smtp_inbox: Inbox, django_capture_on_commit_callbacks: Capture, settings: Any
) -> None:
    settings.TIME_ZONE = "America/New_York"
    booking = confirmed_booking(django_capture_on_commit_callbacks)
    assert WHEN in smtp_inbox.last()["Subject"]
    assert booking.reference in smtp_inbox.last()["Subject"]
    assert isinstance(event_of(calendar_of(smtp_inbox.last())[1]).decoded("DTSTART"), datetime)
