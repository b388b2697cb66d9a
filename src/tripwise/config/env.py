"""Typed readers for settings that come from the environment.

Strict on purpose: a typo such as TRIPWISE_DEBUG=ture must stop start-up, not silently mean False.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rates(name: str, default: str) -> dict[str, Decimal]:
    """Parse "KZT=1,USD=480" into {"KZT": Decimal("1"), "USD": Decimal("480")}."""
    raw = os.environ.get(name, default)
    rates: dict[str, Decimal] = {}
    for pair in raw.split(","):
        if not pair.strip():
            continue
        code, _, value = pair.partition("=")
        try:
            rates[code.strip().upper()] = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ImproperlyConfigured(
                f"{name}: {pair.strip()!r} is not CODE=NUMBER; write it like KZT=1,USD=480."
            ) from exc
    return rates
