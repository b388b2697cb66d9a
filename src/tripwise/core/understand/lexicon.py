"""Words travellers use for how they move, how fast, and what they like, in English and Russian.

Matching is on folded text (tripwise.core.text.fold: lower case, Latin letters, Cyrillic transliterated), so
each entry is a folded stem: "muzei" covers "музей", "музеи", "музеев". Stems are matched at word starts.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "CAR_WORDS",
    "INTERESTS",
    "NO_CAR_WORDS",
    "PACKED_WORDS",
    "RELAXED_WORDS",
    "TRANSIT_WORDS",
    "WALK_ONLY_WORDS",
]

# Phrases (folded) that settle the modes.
NO_CAR_WORDS = ("no car", "without a car", "without car", "dont have a car", "don't have a car", "bez mashin",
                "bez avto", "net mashin", "on foot and by bus", "public transport", "by bus", "na avtobuse",
                "obshchestvennom transporte", "obshchestvennyi transport")  # fmt: skip
CAR_WORDS = ("by car", "rent a car", "rental car", "we drive", "driving", "taxi", "na mashine", "arend",
             "na avto", "taksi", "s mashinoi")  # fmt: skip
WALK_ONLY_WORDS = (
    "on foot only",
    "only on foot",
    "walking only",
    "only walk",
    "tolko peshkom",
    "peshkom tolko",
)
TRANSIT_WORDS = ("bus", "tram", "metro", "avtobus", "tramva")

RELAXED_WORDS = ("relaxed", "slowly", "slow pace", "no rush", "easy pace", "leisurely", "not too much",
                 "spokoin", "ne spesha", "netoroplivo", "bez speshki", "rasslablenn")  # fmt: skip
PACKED_WORDS = ("packed", "as much as possible", "as many as possible", "busy", "intense", "maximum",
                "nasyshchenn", "po maksimumu", "kak mozhno bolshe", "intensivn")  # fmt: skip

# Interest -> stems that express it.
INTERESTS: Mapping[str, tuple[str, ...]] = {
    "history": ("histor", "museum", "museu", "musuem", "memorial", "soviet", "gulag", "heritage", "past",
                "istori", "muze", "memorial", "sovetsk", "proshl"),
    "art": ("art", "gallery", "galler", "painting", "paint", "iskusstv", "galere", "kartin", "khudozh"),
    "religion": ("religio", "mosque", "church", "cathedral", "temple", "mechet", "tserk", "sobor", "khram"),
    "architecture": ("architect", "building", "arkhitektur", "zdani"),
    "nature": ("nature", "park", "garden", "outdoor", "prirod", "park", "sad"),
    "views": ("view", "panoram", "lookout", "observation", "vid", "panoram", "smotrov"),
    "food": ("food", "cuisine", "eat", "restaurant", "dish", "eda", "kukhn", "restoran", "poest", "blyud"),
    "shopping": ("shop", "mall", "souvenir", "magazin", "shoping", "torgov", "suvenir"),
    "family": ("kid", "child", "family", "deti", "detm", "rebenk", "rebyonk", "semi", "semya"),
}  # fmt: skip
