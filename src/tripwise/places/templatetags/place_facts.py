from __future__ import annotations

from datetime import datetime

from django import template

register = template.Library()


@register.filter
def day_relative_to(moment: datetime, now: datetime) -> str:
    """'today', 'tomorrow' or the weekday, as seen in the zone of `now` (the place's)."""
    local = moment.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return local.strftime("%A %-d %B")


@register.filter
def local_hhmm(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    return moment.astimezone(now.tzinfo).strftime("%H:%M")


@register.filter
def assumed(fields: list[str], name: str) -> bool:
    return name in fields
