"""A trip's page suggests, for each day, what can be booked near that day's visits on that very day."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.experiences.helpers import WALK, departure, local
from tripwise.experiences.models import Slot
from tripwise.trips.services import plan_create

pytestmark = pytest.mark.django_db

NOW = local(2026, 12, 1, 12, 0)


@time_machine.travel(NOW, tick=False)
def test_each_day_offers_what_runs_that_day_with_seats_for_the_party(client: Client) -> None:
    Slot.objects.filter(starts_at__gte=local(2026, 12, 9), starts_at__lt=local(2026, 12, 11)).delete()
    departure(WALK, local(2026, 12, 10, 16, 0))  # Thursday only
    plan = plan_create(
        request={"destination": "astana", "start_date": "2026-12-09", "days": 2, "party": {"adults": 2}}
    )
    page = client.get(f"/plans/{plan.public_id}/").content.decode()
    thursday = page[page.index('data-testid="day-2026-12-10"') :]
    wednesday = page[page.index('data-testid="day-2026-12-09"') : page.index('data-testid="day-2026-12-10"')]
    assert "Bookable nearby on Thursday" in thursday
    assert "Left Bank walking tour" in thursday
    assert "16:00" in thursday
    assert "Left Bank walking tour" not in wednesday  # no departure that day

    Slot.objects.filter(experience__slug=WALK, starts_at=local(2026, 12, 10, 16, 0)).update(seats_taken=14)
    page = client.get(f"/plans/{plan.public_id}/").content.decode()
    assert "Left Bank walking tour" not in page  # one seat left, and the party is two
