"""Plan documents written by hand in the shape of docs/plans.md, so the export tests say exactly what goes
in and do not move when the planner's choices change."""

from __future__ import annotations

from typing import Any

BASE = {"name": "Base", "lat": 51.128, "lon": 71.43}
ASIA_PARK = {"name": "Asia Park", "lat": 51.12805, "lon": 71.41155}
AKMOL = {"name": "Akmol, ALZHIR Museum", "lat": 51.06590, "lon": 70.97800}
ALZHIR = {"name": "ALZHIR Museum", "lat": 51.06568, "lon": 70.97777}
BAYTEREK = {"name": "Bayterek Tower", "lat": 51.12824, "lon": 71.43058}


def astana() -> dict[str, Any]:
    """Two days in Astana (UTC+5 since March 2024): a bus to ALZHIR on day 1, a walk to Bayterek on day 2."""
    return {
        "id": "astana-plan-1",
        "destination": {"id": "astana", "name": "Astana", "timezone": "Asia/Almaty", "currency": "KZT"},
        "days": [
            {
                "date": "2026-12-01",
                "weekday": "Tuesday",
                "start": "2026-12-01T09:00:00+05:00",
                "end": "2026-12-01T20:00:00+05:00",
                "items": [
                    {
                        "type": "travel", "mode": "transit",
                        "depart": "2026-12-01T08:41:00+05:00", "arrive": "2026-12-01T09:48:00+05:00",
                        "minutes": 67, "wait_minutes": 4, "from": BASE, "to": ALZHIR,
                        "fare": {"amount": "500.00", "currency": "KZT"},
                        "legs": [
                            {"mode": "walk", "depart": "2026-12-01T08:41:00+05:00",
                             "arrive": "2026-12-01T08:56:00+05:00", "from": BASE, "to": ASIA_PARK},
                            {"mode": "ride", "depart": "2026-12-01T09:00:00+05:00",
                             "arrive": "2026-12-01T09:45:00+05:00", "from": ASIA_PARK, "to": AKMOL,
                             "route": "300", "trip_id": "300-out-0900", "headsign": "Akmol (ALZHIR)"},
                            {"mode": "walk", "depart": "2026-12-01T09:45:00+05:00",
                             "arrive": "2026-12-01T09:48:00+05:00", "from": AKMOL, "to": ALZHIR},
                        ],
                        "rides": [
                            {"route": "300", "trip_id": "300-out-0900", "headsign": "Akmol (ALZHIR)",
                             "from_stop_id": "asia-park", "from_stop_name": "Asia Park",
                             "to_stop_id": "akmol-alzhir", "to_stop_name": "Akmol, ALZHIR Museum",
                             "depart": "2026-12-01T09:00:00+05:00", "arrive": "2026-12-01T09:45:00+05:00"}
                        ],
                        "distance_m": 38000,
                    },
                    {
                        "type": "visit", "place_id": "alzhir-museum", "name": "ALZHIR Museum",
                        "start": "2026-12-01T10:00:00+05:00", "end": "2026-12-01T12:00:00+05:00",
                        "lat": 51.06568, "lon": 70.97777, "url": "/places/alzhir-museum/", "kind": "memorial",
                        "why": "Must-see", "meal": None, "locked": False,
                        "notes": ["Closed on Mondays: planned for Tuesday."],
                        "cost": {"amount": "1440", "currency": "KZT",
                                 "traveller": {"amount": "2.76", "currency": "EUR"}},
                    },
                ],
                "cost": {"amount": "1940", "currency": "KZT"},
            },
            {
                "date": "2026-12-02",
                "weekday": "Wednesday",
                "start": "2026-12-02T09:00:00+05:00",
                "end": "2026-12-02T20:00:00+05:00",
                "items": [
                    {
                        "type": "travel", "mode": "walk",
                        "depart": "2026-12-02T09:40:00+05:00", "arrive": "2026-12-02T10:00:00+05:00",
                        "minutes": 20, "wait_minutes": 0, "from": BASE, "to": BAYTEREK, "distance_m": 1500,
                    },
                    {
                        "type": "visit", "place_id": "bayterek-tower", "name": "Bayterek Tower",
                        "start": "2026-12-02T10:00:00+05:00", "end": "2026-12-02T11:00:00+05:00",
                        "lat": 51.12824, "lon": 71.43058, "url": "/places/bayterek-tower/", "kind": "viewpoint",
                        "why": "Matches your interests: view", "meal": None, "locked": True, "notes": [],
                        "cost": {"amount": "1500", "currency": "KZT"},
                    },
                    {
                        "type": "travel", "mode": "walk",
                        "depart": "2026-12-02T11:00:00+05:00", "arrive": "2026-12-02T11:20:00+05:00",
                        "minutes": 20, "wait_minutes": 0, "from": BAYTEREK, "to": BASE, "distance_m": 1500,
                    },
                ],
                "cost": {"amount": "1500", "currency": "KZT"},
            },
        ],
        "unscheduled": [],
        "cost": {"total": {"amount": "3440", "currency": "KZT"}},
        "check": {"ok": True, "problems": []},
    }  # fmt: skip


SENATE_SQUARE = {"name": "Senate Square", "lat": 60.16952, "lon": 24.95253}
SUOMENLINNA = {"name": "Suomenlinna", "lat": 60.14543, "lon": 24.98812}
MARKET_SQUARE = {"name": "Kauppatori", "lat": 60.16743, "lon": 24.95328}


def helsinki_across_dst() -> dict[str, Any]:
    """Helsinki on Saturday 26 and Sunday 27 March 2022: clocks went from 03:00 EET (+02:00) to 04:00 EEST
    (+03:00) in the night between, so the same wall-clock hour is an hour apart in UTC on the two days."""
    return {
        "id": "helsinki-dst",
        "destination": {"id": "helsinki", "name": "Helsinki", "timezone": "Europe/Helsinki", "currency": "EUR"},
        "days": [
            {
                "date": "2022-03-26",
                "items": [
                    {
                        "type": "visit", "place_id": "senate-square", "name": "Senate Square",
                        "start": "2022-03-26T10:00:00+02:00", "end": "2022-03-26T11:00:00+02:00",
                        **{k: SENATE_SQUARE[k] for k in ("lat", "lon")}, "kind": "square",
                    },
                ],
            },
            {
                "date": "2022-03-27",
                "items": [
                    {
                        "type": "travel", "mode": "transit",
                        "depart": "2022-03-27T09:40:00+03:00", "arrive": "2022-03-27T10:00:00+03:00",
                        "minutes": 20, "from": MARKET_SQUARE, "to": SUOMENLINNA,
                        "legs": [
                            {"mode": "ride", "depart": "2022-03-27T09:40:00+03:00",
                             "arrive": "2022-03-27T10:00:00+03:00", "from": MARKET_SQUARE, "to": SUOMENLINNA,
                             "route": "19", "trip_id": "1019_20220327_0940", "headsign": "Suomenlinna"},
                        ],
                        "rides": [
                            {"route": "19", "route_type": "4", "trip_id": "1019_20220327_0940",
                             "headsign": "Suomenlinna",
                             "from_stop_id": "1030701", "from_stop_name": "Kauppatori",
                             "to_stop_id": "1520703", "to_stop_name": "Suomenlinna",
                             "depart": "2022-03-27T09:40:00+03:00", "arrive": "2022-03-27T10:00:00+03:00"},
                        ],
                    },
                    {
                        "type": "visit", "place_id": "suomenlinna", "name": "Suomenlinna",
                        "start": "2022-03-27T10:00:00+03:00", "end": "2022-03-27T13:00:00+03:00",
                        **{k: SUOMENLINNA[k] for k in ("lat", "lon")}, "kind": "fortress",
                    },
                ],
            },
        ],
    }  # fmt: skip
