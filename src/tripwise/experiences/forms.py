"""Forms of the experience pages: they check the shape of what a person typed (a party size, an address, a
departure of this experience, a date); the rules (seats left, notice, workdays) are the services' business,
and their TripwiseError message is shown above the form by the view."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from tripwise.experiences.models import Experience, Slot

LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh", "de": "German", "fr": "French"}
MAX_PEOPLE = 100


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.lower(), code)


def new_idempotency_key() -> str:
    """A fresh key for each rendered form: submitting the same form twice books once."""
    return secrets.token_urlsafe(24)


def slot_label(slot: Slot, experience: Experience) -> str:
    start = slot.starts_at.astimezone(ZoneInfo(experience.timezone))
    left = slot.seats_left
    seats = "full" if left == 0 else f"{left} seat{'s' if left != 1 else ''} left"
    return f"{start:%A} {start.day} {start:%B}, {start:%H:%M} ({seats})"


class NearbyFilterForm(forms.Form):
    """The filters of the nearby list: near a place (its id) or a point, on a date, in a language."""

    place = forms.SlugField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    date = forms.DateField(required=False, label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(
        required=False,
        label="Language",
        choices=[("", "Any language"), *LANGUAGE_NAMES.items()],
    )
    max_price = forms.DecimalField(
        required=False, label="Price up to", min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    party = forms.IntegerField(required=False, label="People", min_value=1, max_value=MAX_PEOPLE, initial=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError("Give both lat and lon, or a place.")
        return data


class _PartyForm(forms.Form):
    adults = forms.IntegerField(label="Adults", min_value=1, max_value=MAX_PEOPLE, initial=1)
    children = forms.IntegerField(label="Children", min_value=0, max_value=MAX_PEOPLE, initial=0)
    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="Email", max_length=254, help_text="The confirmation is sent here.")
    language = forms.ChoiceField(label="Language of the guide", required=False)
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, experience: Experience, slots: Sequence[Slot], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", new_idempotency_key())
        super().__init__(*args, **kwargs)
        self.experience = experience
        self.slots = {slot.pk: slot for slot in slots}
        languages = [str(code) for code in experience.languages]
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [(code, language_name(code)) for code in languages]
        language.required = bool(languages)
        if languages:
            language.initial = languages[0]
        slot = self.fields["slot"]
        assert isinstance(slot, forms.TypedChoiceField)
        slot.choices = [(item.pk, slot_label(item, experience)) for item in slots]

    def clean_slot(self) -> Slot:
        number = self.cleaned_data["slot"]
        if number not in self.slots:
            raise forms.ValidationError("That departure is not offered any more; choose another.")
        return self.slots[number]


class BookingForm(_PartyForm):
    slot = forms.TypedChoiceField(label="Time", coerce=int)
    field_order = ["slot", "adults", "children", "name", "email", "language"]


class ApplicationForm(_PartyForm):
    slot = forms.TypedChoiceField(label="Date and time", coerce=int)
    message = forms.CharField(
        label="Message to the provider",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    send_later = forms.BooleanField(required=False, widget=forms.HiddenInput)
    field_order = ["slot", "adults", "children", "name", "email", "language", "message"]


class TripChoiceForm(forms.Form):
    plan = forms.CharField(max_length=64)


class DayForm(forms.Form):
    date = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    provider = forms.SlugField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    note = forms.CharField(label="Note to the traveller", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ScheduleForm(forms.Form):
    schedule = forms.CharField(
        label="Start times",
        max_length=300,
        help_text='Days and times in OpenStreetMap syntax, e.g. "Tu-Su 11:00,15:00".',
    )


class ExceptionForm(forms.Form):
    date = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(label="No departures that day", required=False)
    times = forms.CharField(
        label="Extra start times", required=False, max_length=200, help_text="HH:MM, separated by commas."
    )
    capacity = forms.IntegerField(label="Seats per departure", required=False, min_value=0, max_value=10_000)
    note = forms.CharField(label="Note", required=False, max_length=200)

    def clean_times(self) -> list[str]:
        words = [word.strip() for word in self.cleaned_data["times"].replace(";", ",").split(",")]
        times = []
        for word in words:
            if not word:
                continue
            try:
                parsed = time.fromisoformat(word)
            except ValueError:
                raise forms.ValidationError(f"{word!r} is not a time; write HH:MM, e.g. 18:00.") from None
            times.append(f"{parsed:%H:%M}")
        return times


class CapacityForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
    capacity = forms.IntegerField(label="Seats", min_value=0, max_value=10_000)


def error_text(forms_: Iterable[forms.Form]) -> list[str]:
    """Every error of the forms as "Field: message" lines, for the summary above a form."""
    lines = []
    for form in forms_:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            for error in errors:
                lines.append(f"{label}: {error}" if label else str(error))
    return lines
