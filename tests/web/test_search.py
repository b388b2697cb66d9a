from __future__ import annotations

import pytest
from django.test import Client

from tripwise.guides.models import Guide

pytestmark = pytest.mark.django_db


def guide_titles(client: Client, query: str) -> str:
    response = client.get("/search", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('data-kind="guides"')[1].split("</ul>")[0] if 'data-kind="guides"' in html else ""


@pytest.mark.parametrize(
    "query",
    [
        "Nur-Sultan",
        "Astana",
        "Астана",
        "alzhir",
        "Akmol",
        "Нур-Султан",
        "АЛЖИР",
        "tselinograd",
        "ALZHIR museum",
    ],
)
def test_every_name_of_the_city_and_the_camp_finds_the_alzhir_guide(client: Client, query: str) -> None:
    assert "ALZHIR memorial museum" in guide_titles(client, query)


def test_places_are_found_by_their_other_spellings(client: Client) -> None:
    html = client.get("/search", {"q": "Байтерек"}).content.decode()
    assert "Bayterek" in html.split('data-kind="places"')[1]


def test_an_unknown_word_says_what_to_try(client: Client) -> None:
    html = client.get("/search", {"q": "zzzqqq"}).content.decode()
    assert "Nothing matches" in html


def test_drafts_are_not_found(client: Client) -> None:
    Guide.objects.filter(slug="alzhir-museum").update(status=Guide.Status.DRAFT)
    assert "ALZHIR memorial museum" not in guide_titles(client, "alzhir")


def test_an_empty_query_shows_help_not_everything(client: Client) -> None:
    html = client.get("/search", {"q": "  "}).content.decode()
    assert "Type a name or a word" in html
