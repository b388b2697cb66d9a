from decimal import Decimal

import pytest

from tripwise.core.money import Money, UnknownCurrencyError, convert, format_money, minor_units

RATES = {"KZT": Decimal("1"), "USD": Decimal("480"), "EUR": Decimal("520"), "JPY": Decimal("3.2")}


def test_convert_uses_value_of_one_unit_in_the_reference() -> None:
    assert convert(Money(Decimal("2.50"), "USD"), "KZT", RATES) == Money(Decimal("1200.00"), "KZT")
    assert convert(Money(Decimal("1200"), "KZT"), "USD", RATES) == Money(Decimal("2.50"), "USD")


def test_convert_rounds_to_minor_units_half_even() -> None:
    assert convert(Money(Decimal("1000"), "KZT"), "JPY", RATES) == Money(Decimal("312"), "JPY")  # 312.5
    eight_per_dollar = {"KZT": Decimal("1"), "USD": Decimal("8")}
    # 0.125 rounds to the even cent.
    assert convert(Money(Decimal("1"), "KZT"), "USD", eight_per_dollar).amount == Decimal("0.12")
    assert convert(Money(Decimal("1.005"), "EUR"), "EUR", RATES).amount == Decimal("1.00")


def test_unknown_currency_in_rates() -> None:
    with pytest.raises(UnknownCurrencyError, match="'GBP'"):
        convert(Money(Decimal("1"), "GBP"), "KZT", RATES)
    with pytest.raises(UnknownCurrencyError, match="'CHF'"):
        convert(Money(Decimal("1"), "KZT"), "CHF", RATES)


@pytest.mark.parametrize("code", ["usd", "US", "USDT", "", "12A"])
def test_currency_code_must_be_iso_4217_shaped(code: str) -> None:
    with pytest.raises(UnknownCurrencyError, match="ISO 4217"):
        Money(Decimal("1"), code)


def test_amount_must_be_an_exact_finite_decimal() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        Money(Decimal("NaN"), "USD")


def test_minor_units_table() -> None:
    assert [minor_units(code) for code in ("KZT", "USD", "EUR", "JPY", "CHF")] == [2, 2, 2, 0, 2]


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(Decimal("1200"), "KZT"), "₸1,200"),
        (Money(Decimal("1200.50"), "KZT"), "₸1,200.50"),
        (Money(Decimal("2.5"), "USD"), "$2.50"),
        (Money(Decimal("3"), "EUR"), "€3.00"),
        (Money(Decimal("123.45"), "CHF"), "123.45 CHF"),
        (Money(Decimal("1234567"), "JPY"), "1,234,567 JPY"),
        (Money(Decimal("-4.5"), "USD"), "-$4.50"),
    ],
)
def test_format_money(money: Money, text: str) -> None:
    assert format_money(money) == text
