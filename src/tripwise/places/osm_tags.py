"""What OpenStreetMap tags make a place a traveller visits, and what its kind, words and other names are."""

from __future__ import annotations

from collections.abc import Mapping

import osmium

from tripwise.places.models import Place

NAME_MAX = Place._meta.get_field("name").max_length or 200
ADDRESS_MAX = Place._meta.get_field("address").max_length or 300

K = Place.Kind

# Values are what a traveller goes to see or where they eat; everything else under these keys (hotels,
# information boards, benches, parking, shops of every day) is skipped and counted.
TOURISM = {
    "museum": K.MUSEUM,
    "gallery": K.MUSEUM,
    "attraction": K.ATTRACTION,
    "viewpoint": K.VIEWPOINT,
    "artwork": K.LANDMARK,
    "zoo": K.ATTRACTION,
    "theme_park": K.ATTRACTION,
    "aquarium": K.ATTRACTION,
}
HISTORIC = {
    "monument": K.MONUMENT,
    "memorial": K.MEMORIAL,
    "castle": K.LANDMARK,
    "palace": K.LANDMARK,
    "manor": K.LANDMARK,
    "fort": K.LANDMARK,
    "ruins": K.LANDMARK,
    "archaeological_site": K.LANDMARK,
    "city_gate": K.LANDMARK,
    "citywalls": K.LANDMARK,
    "tower": K.LANDMARK,
    "building": K.LANDMARK,
    "ship": K.ATTRACTION,
    "church": K.CHURCH,
    "monastery": K.CHURCH,
    "mosque": K.MOSQUE,
}
# A memorial plaque or a Stolperstein is a memorial in OSM but not a visit of its own.
MEMORIAL_TOO_SMALL = {"plaque", "stolperstein", "blue_plaque"}
AMENITY = {
    "restaurant": K.RESTAURANT,
    "cafe": K.CAFE,
    "pub": K.RESTAURANT,
    "bar": K.OTHER,
    "theatre": K.THEATRE,
    "arts_centre": K.THEATRE,
    "cinema": K.THEATRE,
    "marketplace": K.MARKET,
    "place_of_worship": K.LANDMARK,  # refined by religion below
}
LEISURE = {
    "park": K.PARK,
    "garden": K.PARK,
    "nature_reserve": K.PARK,
    # What families with children look for; only named ones are imported (a bare sandpit has no name).
    "playground": K.PARK,
    "water_park": K.ATTRACTION,
    "miniature_golf": K.ATTRACTION,
}
# Shops a traveller goes to as a visit: not the daily kind. Art shops are where much local art is sold.
SHOP = {
    "mall": K.SHOPPING,
    "department_store": K.SHOPPING,
    "gift": K.SHOPPING,
    "souvenir": K.SHOPPING,
    "art": K.SHOPPING,
}
BUILDING = {
    "cathedral": K.CHURCH,
    "church": K.CHURCH,
    "chapel": K.CHURCH,
    "basilica": K.CHURCH,
    "mosque": K.MOSQUE,
    "synagogue": K.LANDMARK,
    "temple": K.LANDMARK,
    "shrine": K.LANDMARK,
    "castle": K.LANDMARK,
    "palace": K.LANDMARK,
}
CANDIDATE_KEYS = ("tourism", "historic", "amenity", "leisure", "shop")

VISIT_MINUTES: dict[str, int] = {
    K.MUSEUM: 90,
    K.MEMORIAL: 20,
    K.MONUMENT: 15,
    K.MOSQUE: 30,
    K.CHURCH: 30,
    K.PARK: 45,
    K.VIEWPOINT: 30,
    K.MARKET: 45,
    K.SHOPPING: 60,
    K.RESTAURANT: 60,
    K.CAFE: 30,
    K.THEATRE: 150,
    K.LANDMARK: 30,
    K.ATTRACTION: 60,
    K.OTHER: 45,
}
# Interest words a traveller types ("history", "food") beside the raw OSM values.
KIND_WORDS: dict[str, list[str]] = {
    K.MUSEUM: ["culture"],
    K.MEMORIAL: ["history"],
    K.MONUMENT: ["history"],
    K.MOSQUE: ["religion", "architecture"],
    K.CHURCH: ["religion", "architecture"],
    K.PARK: ["nature", "parks"],
    K.VIEWPOINT: ["views"],
    K.MARKET: ["shopping", "food"],
    K.SHOPPING: ["shopping"],
    K.RESTAURANT: ["food"],
    K.CAFE: ["food", "coffee"],
    K.THEATRE: ["culture", "performances"],
    K.LANDMARK: ["sights"],
    K.ATTRACTION: ["sights"],
    K.OTHER: [],
}
ALIAS_KEYS = ("alt_name", "old_name", "official_name", "short_name", "int_name", "loc_name")


def classify(tags: Mapping[str, str]) -> str | None:
    """The Place.Kind value of an object by its tags, or None when it is not somewhere a traveller visits."""
    kind = kind_of(tags)
    return None if kind is None else str(kind)


def kind_of(tags: Mapping[str, str]) -> Place.Kind | None:
    tourism, historic, amenity = tags.get("tourism"), tags.get("historic"), tags.get("amenity")
    building = tags.get("building")
    if tourism in ("museum", "gallery"):
        return K.MUSEUM
    if amenity == "place_of_worship" or (building in BUILDING and BUILDING[building] in (K.CHURCH, K.MOSQUE)):
        religion = tags.get("religion")
        if religion == "muslim" or building == "mosque":
            return K.MOSQUE
        if religion == "christian" or building in ("cathedral", "church", "chapel", "basilica"):
            return K.CHURCH
        return K.LANDMARK
    if historic in HISTORIC:
        if historic == "memorial" and tags.get("memorial") in MEMORIAL_TOO_SMALL:
            return None
        return HISTORIC[historic]
    if tourism in TOURISM:
        return TOURISM[tourism]
    if amenity in AMENITY:
        return AMENITY[amenity]
    leisure, shop = tags.get("leisure"), tags.get("shop")
    if leisure in LEISURE:
        return LEISURE[leisure]
    if shop in SHOP:
        return SHOP[shop]
    if building in BUILDING:
        return BUILDING[building]
    return None


def is_candidate(tags: Mapping[str, str] | osmium.osm.TagList) -> bool:
    return any(key in tags for key in CANDIDATE_KEYS) or tags.get("building") in BUILDING


# More words from what OpenStreetMap says about a place (key, value) -> words. A traveller asks for "art",
# "architecture" or "kids", which OSM spells museum=art, heritage=*, tourism=zoo and the like.
_ART = ["art"]
_HISTORY = ["history"]
_FAMILY = ["family", "kids"]
TAG_WORDS: dict[tuple[str, str], list[str]] = {
    ("tourism", "gallery"): _ART,
    ("tourism", "artwork"): _ART,
    ("amenity", "arts_centre"): _ART,
    ("museum", "art"): _ART,
    ("museum", "history"): _HISTORY,
    ("museum", "local"): _HISTORY,
    ("museum", "military"): _HISTORY,
    ("museum", "archaeological"): _HISTORY,
    ("museum", "children"): _FAMILY,
    ("museum", "science"): ["science"],
    ("museum", "technology"): ["science"],
    ("museum", "nature"): ["nature"],
    ("tourism", "zoo"): [*_FAMILY, "nature"],
    ("tourism", "aquarium"): [*_FAMILY, "nature"],
    ("tourism", "theme_park"): _FAMILY,
    ("leisure", "water_park"): _FAMILY,
    ("leisure", "playground"): _FAMILY,
    ("leisure", "miniature_golf"): _FAMILY,
    ("shop", "art"): _ART,
    ("leisure", "garden"): ["nature", "parks"],
    ("leisure", "nature_reserve"): ["nature", "parks"],
    ("amenity", "marketplace"): ["food", "shopping"],
    ("amenity", "pub"): ["food", "drinks"],
    ("amenity", "bar"): ["drinks", "nightlife"],
    ("amenity", "place_of_worship"): ["religion"],
    ("kids_area", "yes"): _FAMILY,
}
# A castle, a palace or a church is architecture as much as history; so is a listed (heritage) building.
ARCHITECTURE_HISTORIC = {"castle", "palace", "manor", "fort", "city_gate", "citywalls", "tower", "building"}


def interest_words(kind: str, tags: Mapping[str, str]) -> list[str]:
    words: list[str] = []
    for key in ("tourism", "historic", "amenity", "leisure", "shop"):
        value = tags.get(key)
        if value and value not in ("yes", "attraction", "place_of_worship"):
            words.append(value)
    if tags.get("historic") or tags.get("heritage"):
        words.append("history")
    for (key, value), more in TAG_WORDS.items():
        if tags.get(key) == value:
            words.extend(more)
    if (
        tags.get("historic") in ARCHITECTURE_HISTORIC
        or tags.get("heritage")
        or tags.get("architect")
        or tags.get("building") in BUILDING
    ):
        words.append("architecture")
    for part in (tags.get("cuisine") or "").split(";"):
        words.append(part)
    if tags.get("religion"):
        words.extend([tags["religion"], "religion"])
    words.extend(KIND_WORDS.get(kind, []))
    clean = (word.strip().replace("_", " ").lower() for word in words)
    return list(dict.fromkeys(word for word in clean if word))


def aliases_of(name: str, tags: Mapping[str, str]) -> list[str]:
    values: list[str] = []
    for key, value in tags.items():
        # name:en, name:ru, name:zh-Hant ... but not name:etymology:wikidata or name:signed=no.
        if key.startswith("name:"):
            lang = key[5:]
            if (
                lang.replace("-", "").isalpha()
                and lang.split("-")[0].islower()
                and len(lang.split("-")[0]) <= 3
            ):
                values.append(value)
    for key in ALIAS_KEYS:
        values.extend((tags.get(key) or "").split(";"))
    seen = {name.strip()}
    result = []
    for value in (v.strip() for v in values):
        if value and value not in seen:
            seen.add(value)
            result.append(value[:NAME_MAX])
    return result


def address_of(tags: Mapping[str, str]) -> str:
    street = " ".join(part for part in (tags.get("addr:street"), tags.get("addr:housenumber")) if part)
    city = tags.get("addr:city") or ""
    return ", ".join(part for part in (street, city) if part)[:ADDRESS_MAX]
