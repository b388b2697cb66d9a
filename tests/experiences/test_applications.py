"""Applying for the ALZHIR guided tour: the museum reads applications on workdays only, on the Astana calendar;
on other days we offer to send it on the next workday morning, and the worker does so exactly once. Then the
museum accepts (the seats are taken and the traveller gets a calendar file) or declines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.mail import EmailMessage

from tests.experiences.helpers import ALMATY, HELSINKI, TOUR, carol, departure, local, seats_taken, staff_of
from tripwise.config.worker import run_once
from tripwise.core.errors import TripwiseError
from tripwise.experiences.applications import (
    application_accept,
    application_decline,
    application_submit,
    application_withdraw,
)
from tripwise.experiences.models import Application, Booking, Slot
from tripwise.experiences.services import Party

pytestmark = pytest.mark.django_db

SATURDAY_NOON = local(2026, 11, 28, 12, 0)
MONDAY_9 = local(2026, 11, 30, 9, 0)
FRIDAY_MORNING = local(2026, 11, 27, 10, 0)
MUSEUM = "tours@alzhir-museum.example"

Capture = Callable[..., Any]


@pytest.fixture
def thursday() -> Slot:
    return departure(TOUR, local(2026, 12, 3, 11, 0))


@pytest.fixture
def tuesday() -> Slot:
    return departure(TOUR, local(2026, 12, 1, 11, 0))


@pytest.fixture
def curator() -> User:
    return staff_of("alzhir-museum", "curator")


def apply(slot: Slot, now: datetime, *, adults: int = 2, **kwargs: Any) -> Application:
    return application_submit(
        slot=slot,
        party=Party(adults=adults),
        traveller=carol(),
        message="We are two historians.",
        now=now,
        **kwargs,
    )


def refused(code: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> TripwiseError:
    with pytest.raises(TripwiseError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def submitted(slot: Slot, capture: Capture, **kwargs: Any) -> Application:
    with capture(execute=True):
        application = apply(slot, FRIDAY_MORNING, **kwargs)
    assert application.status == Application.Status.SUBMITTED
    return application


def test_on_a_saturday_in_astana_an_application_is_refused_and_says_when_it_can_go(thursday: Slot) -> None:
    error = refused("applications_closed", apply, thursday, SATURDAY_NOON)
    assert error.status == 422
    assert "It is Saturday 28 November there now" in error.message
    assert "Monday 30 November at 09:00 (Asia/Almaty time)" in error.message
    assert not Application.objects.exists()


def test_send_later_keeps_it_for_monday_morning_and_the_worker_sends_it_once(
    thursday: Slot, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Capture
) -> None:
    with time_machine.travel(SATURDAY_NOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        application = apply(thursday, SATURDAY_NOON, send_later=True)
    assert application.status == Application.Status.SCHEDULED
    assert application.submit_at == MONDAY_9
    assert application.submit_at.astimezone(ALMATY).isoformat() == "2026-11-30T09:00:00+05:00"
    assert application.submitted_at is None
    assert seats_taken(thursday) == 0  # seats are taken when the museum accepts
    (told,) = mailoutbox
    assert told.to == ["carol@example.org"]
    assert "Monday 30 November at 09:00" in told.subject
    assert "we will send yours on Monday 30 November at 09:00" in told.body
    assert application.reference in told.body

    # Sunday evening and Monday 08:59: nothing is due yet.
    for moment in (local(2026, 11, 29, 20, 0), MONDAY_9 - timedelta(minutes=1)):
        with time_machine.travel(moment, tick=False):
            assert run_once(now=moment)["applications sent"] == 0
    assert len(mailoutbox) == 1
    application.refresh_from_db()
    assert application.status == Application.Status.SCHEDULED

    with time_machine.travel(MONDAY_9 + timedelta(minutes=1), tick=False):
        done = run_once(now=MONDAY_9 + timedelta(minutes=1))
    assert done["applications sent"] == 1
    assert done["emails sent"] == 2
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at == MONDAY_9 + timedelta(minutes=1)
    to_museum, to_traveller = sorted(mailoutbox[1:], key=lambda message: message.to != [MUSEUM])
    assert to_museum.to == [MUSEUM]
    assert to_museum.extra_headers["Reply-To"] == "carol@example.org"
    assert "We are two historians." in to_museum.body
    assert to_traveller.to == ["carol@example.org"]
    assert "has been sent to ALZHIR Museum" in to_traveller.body

    with time_machine.travel(MONDAY_9 + timedelta(minutes=2), tick=False):
        again = run_once(now=MONDAY_9 + timedelta(minutes=2))
    assert again["applications sent"] == 0
    assert again["emails sent"] == 0
    assert len(mailoutbox) == 3


def test_a_withdrawn_scheduled_application_is_never_sent(
    thursday: Slot, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Capture
) -> None:
    with time_machine.travel(SATURDAY_NOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        application = apply(thursday, SATURDAY_NOON, send_later=True)
    withdrawn = application_withdraw(application=application, now=SATURDAY_NOON + timedelta(hours=1))
    assert withdrawn.status == Application.Status.WITHDRAWN
    with time_machine.travel(MONDAY_9 + timedelta(minutes=1), tick=False):
        assert run_once(now=MONDAY_9 + timedelta(minutes=1))["applications sent"] == 0
    assert len(mailoutbox) == 1  # only "we will send it"
    application_withdraw(application=application)  # withdrawing twice is harmless


def test_the_astana_calendar_decides_not_the_travellers(tuesday: Slot) -> None:
    # Friday 23:30 in Astana is Friday 20:30 in Helsinki: still a workday where the museum is.
    friday_late = datetime(2026, 11, 27, 20, 30, tzinfo=HELSINKI)
    assert friday_late == local(2026, 11, 27, 23, 30)
    application = apply(tuesday, friday_late)
    assert application.status == Application.Status.SUBMITTED
    assert application.submit_at == friday_late
    # Friday 20:00 UTC is already Saturday 01:00 in Astana (and still Friday in London or Helsinki).
    just_after_midnight = datetime.fromisoformat("2026-11-27T20:00:00+00:00")
    error = refused("applications_closed", apply, tuesday, just_after_midnight)
    assert "Saturday 28 November" in error.message


def test_a_kazakh_public_holiday_refuses_applications() -> None:
    from tripwise.core.hours import is_public_holiday

    if is_public_holiday(local(2026, 12, 16).date(), ALMATY, country="KZ") is not True:
        pytest.skip("the holidays data does not know Independence Day")
    slot = departure(TOUR, local(2026, 12, 20, 11, 0))
    independence_day = local(2026, 12, 16, 10, 0)  # a Wednesday
    error = refused("applications_closed", apply, slot, independence_day)
    assert "Wednesday 16 December is a public holiday there" in error.message
    assert "Thursday 17 December at 09:00" in error.message
    scheduled = apply(slot, independence_day, send_later=True)
    assert scheduled.submit_at == local(2026, 12, 17, 9, 0)


def test_the_notice_counts_from_when_the_museum_receives_it(tuesday: Slot) -> None:
    # Saturday noon + 48 hours would allow Tuesday 11:00, but the museum receives it on Monday 09:00,
    # so Wednesday 09:00 is the earliest visit.
    error = refused("too_little_notice", apply, tuesday, SATURDAY_NOON, send_later=True)
    assert error.status == 422
    assert "Monday 30 November 09:00" in error.message
    assert "Wednesday 02 December 09:00" in error.message
    assert not Application.objects.exists()
    wednesday = departure(TOUR, local(2026, 12, 2, 11, 0))
    assert apply(wednesday, SATURDAY_NOON, send_later=True).status == Application.Status.SCHEDULED
    # On a workday the same clock runs from the moment of sending.
    refused("too_little_notice", apply, wednesday, local(2026, 11, 30, 11, 1))


def test_accepting_takes_the_seats_and_books_with_a_calendar_file(
    tuesday: Slot,
    curator: User,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    application = submitted(tuesday, django_capture_on_commit_callbacks, adults=3)
    assert len(mailoutbox) == 2  # the traveller's "sent" and the museum's "new application"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = application_accept(application=application, by=curator, note="Meet Aigerim at the gate.")
    assert accepted.status == Application.Status.ACCEPTED
    assert accepted.booking is not None
    booking = Booking.objects.get(pk=accepted.booking.pk)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.seats == 3
    assert booking.slot_id == tuesday.pk
    assert seats_taken(tuesday) == 3
    email = mailoutbox[-1]
    assert email.to == ["carol@example.org"]
    assert email.subject.startswith("Accepted: ALZHIR guided tour in English")
    assert booking.reference in email.body
    assert "Meet Aigerim at the gate." in email.body
    ((filename, content, mimetype),) = email.attachments
    assert filename == f"{booking.reference}.ics"
    assert mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text
    assert "DTSTART;TZID=Asia/Almaty:20261201T110000" in text


def test_accepting_on_a_full_departure_is_refused_and_changes_nothing(
    curator: User, django_capture_on_commit_callbacks: Capture, mailoutbox: list[EmailMessage]
) -> None:
    slot = departure(TOUR, local(2026, 12, 1, 15, 0), capacity=4)
    application = submitted(slot, django_capture_on_commit_callbacks, adults=3)
    Slot.objects.filter(pk=slot.pk).update(seats_taken=2)  # others were accepted meanwhile
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        error = refused("slot_full", application_accept, application=application, by=curator)
    assert error.status == 409
    assert "Only 2 seats are left" in error.message
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.booking is None
    assert application.decided_at is None
    assert seats_taken(slot) == 2
    assert not Booking.objects.filter(slot=slot).exists()
    assert len(mailoutbox) == sent


def test_declining_tells_the_traveller_the_note(
    tuesday: Slot, curator: User, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Capture
) -> None:
    application = submitted(tuesday, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        declined = application_decline(application=application, by=curator, note="No English guide that day.")
    assert declined.status == Application.Status.DECLINED
    assert declined.booking is None
    assert seats_taken(tuesday) == 0
    email = mailoutbox[-1]
    assert email.to == ["carol@example.org"]
    assert email.subject.startswith("Declined: ALZHIR guided tour in English")
    assert "No English guide that day." in email.body
    assert not email.attachments


def test_deciding_twice_is_refused(
    tuesday: Slot, curator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    application = submitted(tuesday, django_capture_on_commit_callbacks)
    application_accept(application=application, by=curator)
    for decide in (application_accept, application_decline):
        error = refused("already_decided", decide, application=application, by=curator)
        assert error.status == 409
    assert seats_taken(tuesday) == 2
    assert Booking.objects.filter(slot=tuesday).count() == 1
    refused("already_decided", application_withdraw, application=application)


def test_withdrawing_before_the_decision(
    tuesday: Slot, curator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    application = submitted(tuesday, django_capture_on_commit_callbacks)
    withdrawn = application_withdraw(application=application)
    assert withdrawn.status == Application.Status.WITHDRAWN
    refused("already_decided", application_accept, application=application, by=curator)
    assert seats_taken(tuesday) == 0


def test_an_instant_experience_is_not_applied_for() -> None:
    from tests.experiences.helpers import WALK

    slot = departure(WALK, local(2026, 12, 1, 10, 30))
    refused("book_directly", apply, slot, FRIDAY_MORNING)
