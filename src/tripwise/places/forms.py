from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination, Place
from tripwise.places.services import opening_hours_clean, timezone_validate


class PlaceForm(forms.ModelForm[Place]):
    class Meta:
        model = Place
        fields = [
            "destination", "name", "slug", "kind", "summary", "tags", "aliases", "lat", "lon", "address",
            "timezone", "opening_hours", "visit_minutes", "rules", "assumed_fields", "source", "osm_ref",
        ]  # fmt: skip

    def clean_opening_hours(self) -> str:
        try:
            return opening_hours_clean(self.cleaned_data.get("opening_hours"))
        except TripwiseError as exc:
            raise ValidationError(exc.message) from exc

    def clean_timezone(self) -> str:
        try:
            return timezone_validate(self.cleaned_data["timezone"])
        except TripwiseError as exc:
            raise ValidationError(exc.message) from exc


class DestinationForm(forms.ModelForm[Destination]):
    class Meta:
        model = Destination
        fields = ["slug", "name", "country", "timezone", "currency", "lat", "lon", "aliases", "summary"]

    def clean_timezone(self) -> str:
        try:
            return timezone_validate(self.cleaned_data["timezone"])
        except TripwiseError as exc:
            raise ValidationError(exc.message) from exc
