"""Text folding for search: one form for every spelling of a name.

"Астана", "Astana" and "ASTANA" fold to "astana"; "Nur-Sultan" and "Нур-Султан" to "nur sultan". Cyrillic is
transliterated (Unidecode) so that a query in one script finds text written in the other.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Unidecode writes Kazakh schwa as "@"; Kazakh's own Latin alphabet writes it "a" (Бәйтерек: Baiterek).
_KAZAKH = str.maketrans({"ә": "a", "Ә": "A"})


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    ascii_text = unidecode(text.translate(_KAZAKH)).casefold()
    # Transliteration writes soft and hard signs (and Kazakh ғ қ ң ұ) with apostrophes; they are not word breaks.
    ascii_text = ascii_text.replace("'", "")
    return _NOT_WORD.sub(" ", ascii_text).strip()


def search_terms(query: str) -> list[str]:
    """The distinct folded words of a query, longest first (the most selective narrows a search soonest)."""
    words = {word for word in fold(query).split(" ") if word}
    return sorted(words, key=lambda word: (-len(word), word))
