"""Whole requests in plain words, English and Russian, read into the trip request's fields."""

from __future__ import annotations

from datetime import date

from tripwise.core.understand.names import Named
from tripwise.core.understand.understand import understand

SATURDAY = date(2026, 11, 28)
DESTINATIONS = (
    Named("astana", ("Astana", "Nur-Sultan", "Астана", "Нур-Султан", "Akmola"), currency="KZT"),
    Named("helsinki", ("Helsinki",), currency="EUR"),
)
PLACES = (
    Named("alzhir-museum", ("ALZHIR Museum", "ALZHIR", "АЛЖИР", "Akmol"), destination="astana"),
    Named("bayterek-tower", ("Bayterek Tower", "Bayterek", "Байтерек"), destination="astana"),
    Named("khan-shatyr", ("Khan Shatyr", "Хан Шатыр"), destination="astana"),
    Named("nur-astana-mosque", ("Nur-Astana Mosque",), destination="astana"),
    Named("nur-alem", ("Nur Alem", "EXPO sphere"), destination="astana"),
    Named("central-market", ("Central Market",), destination="astana"),
    Named("helsingin-tuomiokirkko", ("Helsingin tuomiokirkko",), destination="helsinki"),
    Named("ateneum", ("Ateneum",), destination="helsinki"),
    Named("ateneumin-julkisivuveistokset", ("Ateneumin julkisivuveistokset",), destination="helsinki"),
)


def read(text: str, today: date = SATURDAY) -> dict[str, object]:
    return understand(text, today=today, destinations=DESTINATIONS, places=PLACES).request


def test_the_assistant_example_in_english() -> None:
    request = read(
        "two days in Astana next week, we love history, no car, around 20000 tenge each, must see ALZHIR"
    )
    assert request == {
        "destination": "astana",
        "start_date": "2026-11-30",
        "days": 2,
        "budget": {"amount": "20000", "currency": "KZT"},
        "modes": ["transit", "walk"],
        "must_see": ["alzhir-museum"],
        "interests": ["history"],
    }


def test_the_assistant_example_in_russian() -> None:
    request = read("Хочу на выходные в Нур-Султан с детьми, без машины")
    assert request["destination"] == "astana"
    assert (request["start_date"], request["days"]) == ("2026-11-28", 2)  # today is Saturday
    assert request["modes"] == ["transit", "walk"]
    party = request["party"]
    assert isinstance(party, dict)
    assert party["children"] >= 1
    assert request["interests"] == ["family"]


def test_a_budget_per_person_counts_for_the_whole_party() -> None:
    request = read("Astana with my wife, 15000 tenge each")
    assert request["party"] == {"adults": 2, "children": 0}
    assert request["budget"] == {"amount": "30000", "currency": "KZT"}


def test_typos_and_russian_endings_still_find_the_places() -> None:
    assert read("Astna tommorow, Bayterk and the Khan Shatyr")["must_see"] == [
        "bayterek-tower",
        "khan-shatyr",
    ]
    assert read("tommorow in Astana")["start_date"] == "2026-11-29"
    assert read("Хотим в Астану, обязательно Байтерека")["must_see"] == ["bayterek-tower"]
    assert read("Хельсинки в субботу")["destination"] == "helsinki"


def test_places_to_skip_are_avoided_and_the_cue_carries_over_a_list() -> None:
    request = read("Astana - skip Nur Alem and the Central market, see Bayterek")
    assert request["avoid"] == ["central-market", "nur-alem"]
    assert request["must_see"] == ["bayterek-tower"]


def test_the_destination_name_is_not_taken_for_a_place() -> None:
    request = read("Going to Nur-Sultan, must see Bayterek")
    assert request["must_see"] == ["bayterek-tower"]  # not the Nur-Astana mosque


def test_a_whole_name_wins_over_a_longer_one_that_starts_alike() -> None:
    assert read("Helsinki, Ateneum please")["must_see"] == ["ateneum"]


def test_the_place_names_the_destination_when_the_city_is_not_said() -> None:
    assert read("I want to see ALZHIR on Tuesday")["destination"] == "astana"


def test_nothing_said_gives_an_empty_request() -> None:
    understood = understand("hello there", today=SATURDAY, destinations=DESTINATIONS, places=PLACES)
    assert understood.request == {}
    assert understood.chips == ()
