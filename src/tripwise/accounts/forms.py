from __future__ import annotations

from django import forms

from tripwise.trips.models import Plan


class TripRenameForm(forms.Form):
    title = forms.CharField(max_length=Plan._meta.get_field("title").max_length or 200, strip=True)

    def error_text(self) -> str:
        return "A trip needs a name of at most 200 characters: type one and save again."
