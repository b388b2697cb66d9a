"""Money: a decimal amount with an ISO 4217 currency code, conversion through a rate table, display.

>>> format_money(convert(Money(Decimal("2.50"), "USD"), "KZT", {"KZT": Decimal("1"), "USD": Decimal("480")}))
'₸1,200'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["Money", "UnknownCurrencyError", "convert", "currency_of_country", "format_money", "minor_units"]

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")

# ISO 4217 minor units where they differ from, or matter as much as, the default of 2.
_MINOR_UNITS: Mapping[str, int] = {
    "KZT": 2, "USD": 2, "EUR": 2, "GBP": 2, "RUB": 2, "CNY": 2,
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
}  # fmt: skip
_DEFAULT_MINOR_UNITS = 2

_EURO_AREA = "AT BE HR CY EE FI FR DE GR IE IT LV LT LU MT NL PT SK SI ES AD MC SM VA ME XK"
# Local currency of the countries a destination is most likely to be in; ISO 4217 by ISO 3166 code.
_COUNTRY_CURRENCY: Mapping[str, str] = {
    **dict.fromkeys(_EURO_AREA.split(), "EUR"),
    "KZ": "KZT", "US": "USD", "GB": "GBP", "RU": "RUB", "CN": "CNY", "JP": "JPY", "KR": "KRW", "SE": "SEK",
    "NO": "NOK", "DK": "DKK", "IS": "ISK", "PL": "PLN", "CZ": "CZK", "HU": "HUF", "CH": "CHF", "TR": "TRY",
    "UZ": "UZS", "KG": "KGS", "GE": "GEL", "AM": "AMD", "AZ": "AZN", "UA": "UAH", "CA": "CAD", "AU": "AUD",
}  # fmt: skip

_SYMBOLS: Mapping[str, str] = {"KZT": "₸", "USD": "$", "EUR": "€"}


class UnknownCurrencyError(ValueError):
    """A currency code that is malformed or missing from the rate table."""


def minor_units(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (2 when not in the table)."""
    return _MINOR_UNITS.get(currency, _DEFAULT_MINOR_UNITS)


def _check_code(currency: str) -> None:
    if not _CURRENCY_CODE.fullmatch(currency):
        raise UnknownCurrencyError(
            f"{currency!r} is not an ISO 4217 currency code: use three upper-case letters such as 'KZT'."
        )


@dataclass(frozen=True)
class Money:
    """An exact amount in one currency; float amounts are refused because they are not exact."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            kind = type(self.amount).__name__
            raise TypeError(f"Money amount must be a Decimal, got {kind}: use Decimal('1.50').")
        if not self.amount.is_finite():
            raise ValueError(f"Money amount must be finite, got {self.amount}.")
        _check_code(self.currency)


def currency_of_country(country: str) -> str | None:
    """The local currency of an ISO 3166 country ("FI" -> "EUR"), None when not in the table."""
    return _COUNTRY_CURRENCY.get(country.upper())


def _rate(rates: Mapping[str, Decimal], currency: str) -> Decimal:
    try:
        rate = rates[currency]
    except KeyError:
        known = ", ".join(sorted(rates)) or "none"
        raise UnknownCurrencyError(
            f"No exchange rate for {currency!r} (rates known: {known}): add it to the rate table."
        ) from None
    if rate <= 0:
        raise ValueError(f"The exchange rate for {currency!r} must be positive, got {rate}.")
    return rate


def convert(money: Money, to: str, rates: Mapping[str, Decimal]) -> Money:
    """Convert ``money`` into currency ``to``, rounded half-even to that currency's minor units.

    ``rates`` gives the value of one unit of each currency in a common reference currency:
    ``{"KZT": Decimal("1"), "USD": Decimal("480")}`` means 1 USD = 480 KZT. Any reference works as long as
    every rate uses the same one. Converting to the same currency still rounds to its minor units.
    """
    _check_code(to)
    if to == money.currency:
        amount = money.amount
    else:
        amount = money.amount * _rate(rates, money.currency) / _rate(rates, to)
    quantum = Decimal(1).scaleb(-minor_units(to))
    return Money(amount.quantize(quantum, rounding=ROUND_HALF_EVEN), to)


def format_money(money: Money) -> str:
    """Display form: "₸1,200", "$2.50", "€3.00", else "123.45 CHF"; whole tenge drop their ".00"."""
    digits = minor_units(money.currency)
    amount = money.amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    # Prices in tenge are quoted in whole tenge (tiyn are not used in practice), so drop ".00" there.
    if money.currency == "KZT" and amount == amount.to_integral_value():
        digits = 0
    text = f"{amount:,.{digits}f}"
    symbol = _SYMBOLS.get(money.currency)
    if symbol is None:
        return f"{sign}{text} {money.currency}"
    return f"{sign}{symbol}{text}"
