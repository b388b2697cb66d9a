"""The synthetic world of the nearby benchmark: about 300 cities, and the rows generated around them.

Places are clustered around the cities (a Gaussian each, weighted by size), a tenth scattered over the
countryside; experiences sit near random places, each with a few departures. One seed gives the same
world on every database: the rows are drawn from one random generator in a fixed order (places, then
experiences, then departures).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tripwise.core.experiences import cell_of

LANGUAGES = (("en", 0.75), ("ru", 0.25), ("de", 0.2), ("fr", 0.2), ("es", 0.2), ("zh", 0.1), ("ja", 0.08))

# Real city centres (rounded); the benchmark adds about 190 towns around them.
CITIES = """
Tokyo 35.68 139.69; Delhi 28.61 77.21; Shanghai 31.23 121.47; Sao-Paulo -23.55 -46.63; Mexico-City 19.43 -99.13
Cairo 30.04 31.24; Mumbai 19.08 72.88; Beijing 39.90 116.41; Dhaka 23.81 90.41; Osaka 34.69 135.50
New-York 40.71 -74.01; Karachi 24.86 67.01; Buenos-Aires -34.60 -58.38; Istanbul 41.01 28.98; Kolkata 22.57 88.36
Manila 14.60 120.98; Lagos 6.52 3.38; Rio-de-Janeiro -22.91 -43.17; Guangzhou 23.13 113.26
Los-Angeles 34.05 -118.24; Moscow 55.76 37.62; Kinshasa -4.44 15.27; Paris 48.86 2.35; Bogota 4.71 -74.07
Jakarta -6.21 106.85; Lima -12.05 -77.04; Bangkok 13.76 100.50; Seoul 37.57 126.98; Nagoya 35.18 136.91
London 51.51 -0.13; Tehran 35.69 51.39; Chicago 41.88 -87.63; Ho-Chi-Minh-City 10.82 106.63; Luanda -8.84 13.23
Hong-Kong 22.32 114.17; Bengaluru 12.97 77.59; Riyadh 24.71 46.68; Baghdad 33.32 44.37; Santiago -33.45 -70.67
Singapore 1.35 103.82; Madrid 40.42 -3.70; Toronto 43.65 -79.38; Johannesburg -26.20 28.05; Berlin 52.52 13.40
Sydney -33.87 151.21; Melbourne -37.81 144.96; Nairobi -1.29 36.82; Addis-Ababa 9.03 38.74; Rome 41.90 12.50
Barcelona 41.39 2.17; Hanoi 21.03 105.85; Kyiv 50.45 30.52; Casablanca 33.57 -7.59; Ankara 39.93 32.86
Algiers 36.75 3.06; Dubai 25.20 55.27; Tashkent 41.30 69.24; Almaty 43.24 76.89; Astana 51.13 71.43
Vienna 48.21 16.37; Warsaw 52.23 21.01; Budapest 47.50 19.04; Prague 50.08 14.44; Stockholm 59.33 18.07
Helsinki 60.17 24.94; Oslo 59.91 10.75; Copenhagen 55.68 12.57; Amsterdam 52.37 4.90; Brussels 50.85 4.35
Lisbon 38.72 -9.14; Athens 37.98 23.73; Dublin 53.35 -6.26; Edinburgh 55.95 -3.19; Montreal 45.50 -73.57
Vancouver 49.28 -123.12; San-Francisco 37.77 -122.42; Seattle 47.61 -122.33; Miami 25.76 -80.19
Houston 29.76 -95.37; Denver 39.74 -104.99; Havana 23.11 -82.37; Caracas 10.48 -66.90; Quito -0.18 -78.47
La-Paz -16.49 -68.12; Montevideo -34.90 -56.16; Accra 5.60 -0.19; Dakar 14.72 -17.47; Cape-Town -33.92 18.42
Dar-es-Salaam -6.79 39.21; Khartoum 15.50 32.56; Tunis 36.81 10.18; Kabul 34.56 69.21; Lahore 31.55 74.34
Colombo 6.93 79.86; Kathmandu 27.72 85.32; Yangon 16.87 96.20; Kuala-Lumpur 3.14 101.69; Taipei 25.03 121.57
Ulaanbaatar 47.89 106.91; Vladivostok 43.12 131.89; Novosibirsk 55.01 82.93; Perth -31.95 115.86
Auckland -36.85 174.76; Wellington -41.29 174.78; Suva -18.14 178.44; Anadyr 64.73 177.51
Honolulu 21.31 -157.86; Anchorage 61.22 -149.90; Reykjavik 64.15 -21.94
"""
TOWNS = 190


@dataclass(frozen=True)
class City:
    name: str
    lat: float
    lon: float
    sigma_km: float  # the spread of its places (a Gaussian)
    weight: float  # its share of the clustered places
    zone: str


@dataclass(frozen=True)
class Spot:
    lat: float
    lon: float
    city: int  # index in cities(); -1 for the countryside


@dataclass
class World:
    towns: list[City]
    places: list[Spot]
    today: date


def offset(lat: float, lon: float, north_km: float, east_km: float) -> tuple[float, float]:
    new_lat = max(-89.9, min(89.9, lat + north_km / 111.32))
    east = lon + east_km / (111.32 * max(0.05, math.cos(math.radians(lat))))
    return new_lat, (east + 180.0) % 360.0 - 180.0


def zone_of_longitude(lon: float) -> str:
    hours = round(lon / 15)
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"  # Etc/ signs are inverted: Etc/GMT-5 is UTC+5


def _zone(lat: float, lon: float) -> str:
    try:
        from timezonefinder import TimezoneFinder
    except ImportError:  # pragma: no cover - an optional nicety
        return zone_of_longitude(lon)
    found = TimezoneFinder().timezone_at(lng=lon, lat=lat)
    return str(found) if found else zone_of_longitude(lon)


def real_cities() -> list[tuple[str, float, float]]:
    real = []
    for entry in CITIES.replace("\n", ";").split(";"):
        if entry.strip():
            name, north, east = entry.split()
            real.append((name.replace("-", " "), float(north), float(east)))
    return real


def cities(seed: int) -> list[City]:
    """About 300 city centres: the real ones above, big to small, and towns 30-300 km around them."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible world, not a secret
    real = real_cities()
    found: list[City] = []
    for rank, (name, lat, lon) in enumerate(real, start=1):
        weight = 1 / rank**0.7
        found.append(City(name, lat, lon, 3 + 9 * weight, weight, _zone(lat, lon)))
    for number in range(TOWNS):
        parent = found[rng.randrange(len(real))]
        distance, bearing = rng.uniform(30, 300), rng.uniform(0, 2 * math.pi)
        lat, lon = offset(parent.lat, parent.lon, distance * math.cos(bearing), distance * math.sin(bearing))
        weight = parent.weight * rng.uniform(0.03, 0.15)
        found.append(
            City(f"{parent.name} town {number + 1}", lat, lon, rng.uniform(1.5, 4), weight, parent.zone)
        )
    return found


def accumulate(values: Iterable[float]) -> list[float]:
    total, sums = 0.0, []
    for value in values:
        total += value
        sums.append(total)
    return sums


def pick(cumulative: Sequence[float], point: float) -> int:
    """The index of the first cumulative weight at or above `point` (a weighted draw)."""
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] < point:
            low = middle + 1
        else:
            high = middle
    return low


def spots(
    rng: random.Random, towns: Sequence[City], count: int, *, countryside: float = 0.1
) -> Iterator[Spot]:
    """Points: a Gaussian around a city chosen by weight, or (a tenth) uniform over latitudes -55..70."""
    weights = accumulate(city.weight for city in towns)
    low, high = math.sin(math.radians(-55)), math.sin(math.radians(70))
    for _ in range(count):
        if rng.random() < countryside:
            lat = math.degrees(math.asin(rng.uniform(low, high)))  # uniform over the sphere's band
            yield Spot(lat, rng.uniform(-180.0, 180.0), -1)
            continue
        index = pick(weights, rng.random() * weights[-1])
        city = towns[index]
        lat, lon = offset(city.lat, city.lon, rng.gauss(0, city.sigma_km), rng.gauss(0, city.sigma_km))
        yield Spot(lat, lon, index)


@dataclass
class Rows:
    """What the generated rows point at: ids the database gave the destinations and providers, the first
    ids of the places and experiences, and how the database wants a decimal, a JSON list and a moment."""

    destination_ids: list[int]
    provider_ids: list[int]
    first_place: int
    first_experience: int
    decimal: Callable[[Decimal], Any]
    languages: Callable[[list[str]], Any]
    moment: Callable[[datetime], Any]


PLACE_COLUMNS = ("id", "destination_id", "slug", "name", "kind", "lat", "lon", "timezone", "cell")
EXPERIENCE_COLUMNS = (
    "id", "provider_id", "place_id", "destination_id", "slug", "title", "duration_minutes", "price",
    "currency", "languages", "lat", "lon", "cell", "max_party", "is_active",
)  # fmt: skip
SLOT_COLUMNS = ("experience_id", "starts_at", "capacity", "seats_taken", "is_cancelled")


def place_rows(world: World, ids: Rows, kinds: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """PLACE_COLUMNS of every place, `cell` included: the nearby index (place_nearby) is on it."""
    zones = [town.zone for town in world.towns]
    for number, spot in enumerate(world.places):
        kind = kinds[number % len(kinds)]
        town = spot.city if spot.city >= 0 else number % len(world.towns)
        zone = zones[spot.city] if spot.city >= 0 else zone_of_longitude(spot.lon)
        yield (
            ids.first_place + number,
            ids.destination_ids[town],
            f"bench-place-{number}",
            f"{kind.title()} {number}",
            kind,
            spot.lat,
            spot.lon,
            zone,
            cell_of(spot.lat, spot.lon),
        )


def experience_rows(rng: random.Random, world: World, ids: Rows, count: int) -> Iterator[tuple[Any, ...]]:
    """EXPERIENCE_COLUMNS of `count` experiences a few hundred metres from random places, `cell` included
    (experience_nearby); one in fifty inactive."""
    for number in range(count):
        index = rng.randrange(len(world.places))
        spot = world.places[index]
        lat, lon = offset(spot.lat, spot.lon, rng.gauss(0, 0.2), rng.gauss(0, 0.2))
        spoken = [code for code, share in LANGUAGES if rng.random() < share] or ["en"]
        town = spot.city if spot.city >= 0 else index % len(world.towns)
        yield (
            ids.first_experience + number,
            ids.provider_ids[number % len(ids.provider_ids)],
            ids.first_place + index,
            ids.destination_ids[town],
            f"bench-experience-{number}",
            f"Experience {number}",
            rng.choice((60, 90, 120, 180, 240)),
            ids.decimal(Decimal(rng.randrange(500, 20_000)) / 100),
            "EUR",
            ids.languages(spoken),
            lat,
            lon,
            cell_of(lat, lon),
            rng.choice((2, 4, 6, 10)),
            rng.random() > 0.02,
        )


def slot_rows(
    rng: random.Random, world: World, ids: Rows, experiences: int, each: int
) -> Iterator[tuple[Any, ...]]:
    """SLOT_COLUMNS: `each` departures per experience on different days of the next fortnight, some full,
    a few cancelled."""
    midnight = datetime(world.today.year, world.today.month, world.today.day, tzinfo=UTC)
    for number in range(experiences):
        for day in rng.sample(range(1, 15), each):
            starts = midnight + timedelta(days=day, hours=rng.randrange(6, 18))
            taken = rng.choice((0, 0, 0, 2, 4, 6, 9, 10))
            yield (ids.first_experience + number, ids.moment(starts), 10, taken, rng.random() < 0.03)
