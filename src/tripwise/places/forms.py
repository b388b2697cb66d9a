from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError

from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination, Place
from tripwise.places.services import opening_hours_clean, timezone_validate


def _cleaned_by(clean: Callable[[str], str], value: str) -> str:
    """Run a service's validation and show its message on the field (one message, wherever it is checked)."""
    try:
        return clean(value)
    except TripwiseError as exc:
        raise ValidationError(exc.message) from exc


class PlaceForm(forms.ModelForm[Place]):
    class Meta:
        model = Place
        fields = [
            "destination", "name", "slug", "kind", "summary", "tags", "aliases", "lat", "lon", "address",
            "timezone", "opening_hours", "visit_minutes", "rules", "assumed_fields", "source", "osm_ref",
        ]  # fmt: skip

    def clean_opening_hours(self) -> str:
        return _cleaned_by(opening_hours_clean, self.cleaned_data.get("opening_hours") or "")

    def clean_timezone(self) -> str:
        return _cleaned_by(timezone_validate, self.cleaned_data["timezone"])


class DestinationForm(forms.ModelForm[Destination]):
    class Meta:
        model = Destination
        fields = ["slug", "name", "country", "timezone", "currency", "lat", "lon", "aliases", "summary"]

    def clean_timezone(self) -> str:
        return _cleaned_by(timezone_validate, self.cleaned_data["timezone"])
