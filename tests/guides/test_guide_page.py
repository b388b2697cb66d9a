"""The ALZHIR guide as a traveller reads it: the article, its illustrations and the live facts panel."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tripwise.guides.models import Guide

ASTANA = ZoneInfo("Asia/Almaty")
GUIDE_URL = "/guides/alzhir-museum/"
pytestmark = pytest.mark.django_db


def page_at(client: Client, moment: datetime, url: str = GUIDE_URL) -> str:
    with time_machine.travel(moment, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_article_with_sections_and_credited_illustrations(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 12, 0, tzinfo=ASTANA))
    assert "ALZHIR" in html
    assert 'class="toc"' in html  # the sections are listed
    assert "<h2 id=" in html
    assert "Illustration drawn for Tripwise" in html
    assert ".svg" in html


def test_on_a_monday_it_says_closed_and_when_it_opens(client: Client) -> None:
    html = page_at(client, datetime(2026, 11, 30, 12, 0, tzinfo=ASTANA))  # a Monday
    assert "Closed now" in html
    assert "Closed on Mondays" in html
    assert "opens tomorrow at 10:00" in html


def test_on_a_tuesday_afternoon_it_is_open_until_closing(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 12, 0, tzinfo=ASTANA))
    assert "Open now" in html
    assert "closes today at 17:00" in html


def test_status_follows_astana_time_not_the_servers(client: Client) -> None:
    # Monday 23:30 UTC is already Tuesday 04:30 in Astana (UTC+5, no daylight saving).
    html = page_at(client, datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert "Closed now" in html
    assert "opens today at 10:00" in html
    assert "Local time Tue 04:30" in html


def test_prices_are_in_tenge_and_in_the_visitors_currency(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 12, 0, tzinfo=ASTANA))
    assert "₸720" in html  # USD 1.50 at the demo rate of 480 tenge
    assert "quoted as $1.50" in html
    html = page_at(client, datetime(2026, 12, 1, 12, 0, tzinfo=ASTANA), GUIDE_URL + "?currency=EUR")
    assert "≈ €1.38" in html  # 720 tenge at 520 tenge per euro


def test_the_rules_are_listed(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 12, 0, tzinfo=ASTANA))
    assert "photos needs permission" in html
    assert "workday" in html
    assert "weekends" in html


def test_next_buses_come_from_the_timetable(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 19, 30, tzinfo=ASTANA))
    assert "Bus 300</strong> from Asia Park" in html
    departures = html.split('data-testid="departures"')[1].split("</ul>")[0]
    assert "today <strong>20:00</strong> → 20:45" in departures
    assert "tomorrow <strong>07:00</strong> → 07:45" in departures
    assert "tomorrow <strong>08:00</strong>" in departures


def test_after_the_last_bus_the_next_one_is_tomorrow_morning(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 20, 1, tzinfo=ASTANA))
    departures = html.split('data-testid="departures"')[1].split("</ul>")[0]
    assert departures.index("tomorrow <strong>07:00</strong>") < departures.index("08:00")
    assert "today" not in departures


def test_the_drive_is_offered_too(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 12, 0, tzinfo=ASTANA))
    assert "By car or taxi</strong>: about 45 min, 38 km" in html


def test_assumed_values_are_marked(client: Client) -> None:
    html = page_at(client, datetime(2026, 12, 1, 12, 0, tzinfo=ASTANA))
    assert "hours assumed" in html


def test_a_draft_is_hidden_from_visitors_and_shown_to_editors(client: Client, alice_client: Client) -> None:
    Guide.objects.filter(slug="alzhir-museum").update(status=Guide.Status.DRAFT)
    assert client.get(GUIDE_URL).status_code == 404
    response = alice_client.get(GUIDE_URL)
    assert response.status_code == 200
    assert "Draft: only editors see this page" in response.content.decode()


def test_html_in_the_markdown_is_removed(client: Client) -> None:
    guide = Guide.objects.get(slug="alzhir-museum")
    guide.body += (
        '\n\n<script>alert("x")</script> [click](javascript:alert(1)) <img src=x onerror="alert(2)">\n'
    )
    guide.save()
    html = client.get(GUIDE_URL).content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
