"""Booking in a real browser: a traveller finds the walking tour from the ALZHIR guide, holds two seats,
confirms and finds the booking under My bookings; on a Saturday another applies for the museum's guided tour,
which is sent on Monday morning and accepted by the museum's staff. Screenshots of the experience page and
the provider page go to docs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from time_machine import TimeMachineFixture

from tests.paths import DEMO
from tripwise.config.worker import run_once
from tripwise.demo import demo_load
from tripwise.experiences.models import Application, Booking, Experience
from tripwise.experiences.provider import slots_generate
from tripwise.mail.models import OutboxEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALMATY = ZoneInfo("Asia/Almaty")
PASSWORD = "a long password for tests"


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    demo_load(path=DEMO)  # departures are made from today; the weekend test makes its own
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    return str(live_server.url)


def signed_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/login/")
    form = page.get_by_test_id("login-form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("account-nav")).to_contain_text(email)


def test_a_traveller_books_the_walking_tour_from_the_alzhir_guide(
    site: str, page: Page, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{site}/guides/alzhir-museum/")
    nearby = page.get_by_test_id("nearby-experiences")
    expect(nearby).to_contain_text("Things to do nearby")
    expect(nearby).to_contain_text("ALZHIR guided tour in English")
    nearby.get_by_test_id("nearby-all").click()  # the full list, nearest first
    expect(page.get_by_test_id("experience-results")).to_contain_text("Left Bank walking tour")
    expect(page.locator("[data-map] .leaflet-interactive")).not_to_have_count(0)
    page.get_by_role("link", name="Left Bank walking tour: Bayterek to Khan Shatyr").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Left Bank walking tour")
    expect(page.get_by_test_id("rules")).to_contain_text("About 3 km on foot")
    expect(page.get_by_test_id("times")).to_contain_text("seats left")
    form = page.get_by_test_id("booking-form")
    chosen = form.get_by_label("Time").locator("option").first.inner_text()
    form.get_by_label("Adults").fill("2")
    form.get_by_label("Name").fill("Dana Traveller")
    form.get_by_label("Email").fill("dana@example.org")
    form.get_by_label("Language of the guide").select_option("en")
    page.screenshot(path=str(screenshot_dir / "experience.png"), full_page=True)
    assert (screenshot_dir / "experience.png").stat().st_size > 10_000
    form.get_by_test_id("book-submit").click()

    expect(page.get_by_test_id("booking-status")).to_contain_text("Held for you until")
    expect(page.get_by_test_id("countdown")).to_contain_text("left")
    expect(page.get_by_test_id("people")).to_contain_text("2 adults")
    expect(page.get_by_test_id("when")).to_contain_text(chosen.split(",")[0].split(" ", 1)[1])
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("confirmed")).to_contain_text("A confirmation email is on its way")
    reference = page.get_by_test_id("reference").inner_text()
    booking = Booking.objects.get(reference=reference)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.adults == 2
    assert booking.seats == 2
    assert OutboxEmail.objects.filter(kind="booking_confirmed", to=["dana@example.org"]).exists()
    assert any(reference in str(message.subject) + str(message.body) for message in mail.outbox)

    page.get_by_test_id("account-nav").get_by_role("link", name="My bookings").click()
    expect(page.get_by_test_id("upcoming-bookings")).to_contain_text(reference)
    expect(page.get_by_test_id("upcoming-bookings")).to_contain_text("Confirmed")


def test_a_weekend_application_is_sent_on_monday_and_accepted_by_the_museum(
    site: str, page: Page, browser: Browser, screenshot_dir: Path, time_machine: TimeMachineFixture
) -> None:
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=ALMATY)
    time_machine.move_to(saturday)
    tour = Experience.objects.select_related("place", "destination").get(slug="alzhir-guided-tour-english")
    slots_generate(experience=tour, first=date(2026, 11, 28), now=saturday)
    staff = User.objects.create_user("museum", "guides@alzhir-museum.example", PASSWORD)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    tour.provider.staff.add(staff)

    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{site}/experiences/alzhir-guided-tour-english/")
    refusal = page.get_by_test_id("refusal")
    expect(refusal).to_contain_text("Applications are accepted on workdays only")
    expect(refusal).to_contain_text("It is Saturday 28 November there now")
    form = page.get_by_test_id("application-form")
    submit = form.get_by_test_id("apply-submit")
    expect(submit).to_have_text("Send it on Monday 30 November at 09:00")
    options = form.get_by_label("Date and time").locator("option").all_inner_texts()
    assert options[0].startswith("Wednesday 2 December, 11:00")  # Monday 09:00 + 48 hours' notice
    assert not any(text.startswith(("Monday", "Tuesday 1 December")) for text in options)
    form.get_by_label("Adults").fill("2")
    form.get_by_label("Name").fill("Erik Traveller")
    form.get_by_label("Email").fill("erik@example.org")
    form.get_by_label("Message to the provider").fill("Two of us, interested in the film room.")
    submit.click()
    expect(page.get_by_test_id("application-status")).to_have_text("Waiting for a workday")
    expect(page.get_by_test_id("application-sent")).to_contain_text("on Monday 30 November at 09:00")
    application = Application.objects.get(email="erik@example.org")
    assert application.status == Application.Status.SCHEDULED
    traveller_url = page.url

    # Monday morning: the worker sends it; the museum's staff accept it.
    time_machine.move_to(datetime(2026, 11, 30, 9, 5, tzinfo=ALMATY))
    assert run_once()["applications sent"] == 1
    museum = browser.new_context().new_page()
    museum.set_viewport_size({"width": 1280, "height": 900})
    signed_in(museum, site, staff.email)
    museum.goto(f"{site}/provider/")
    waiting = museum.get_by_test_id(f"waiting-{application.reference}")
    expect(waiting).to_contain_text("Erik Traveller")
    waiting.get_by_role("link", name=application.reference).click()
    expect(museum.get_by_test_id("application-status")).to_have_text("Sent to the provider")
    museum.get_by_label("Note to the traveller").fill("Welcome! Meet the guide at the entrance.")
    museum.screenshot(path=str(screenshot_dir / "provider.png"), full_page=True)
    assert (screenshot_dir / "provider.png").stat().st_size > 10_000
    museum.get_by_test_id("accept").click()
    expect(museum.get_by_test_id("application-status")).to_have_text("Accepted")

    page.goto(traveller_url)
    expect(page.get_by_test_id("application-status")).to_have_text("Accepted")
    expect(page.get_by_test_id("decision-note")).to_contain_text("Meet the guide at the entrance")
    expect(page.get_by_test_id("application-booking")).to_be_visible()
    assert OutboxEmail.objects.filter(kind="application_accepted", to=["erik@example.org"]).exists()
