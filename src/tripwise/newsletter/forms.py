"""The sign-up and preferences forms: an address, interests and destinations (none chosen: everything)."""

from __future__ import annotations

from typing import Any

from django import forms

from tripwise.newsletter.models import INTEREST_CHOICES
from tripwise.newsletter.selectors import destination_choices


class PreferencesForm(forms.Form):
    interests = forms.MultipleChoiceField(
        choices=INTEREST_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, help_text="None: all."
    )
    destinations = forms.MultipleChoiceField(
        choices=[], required=False, widget=forms.CheckboxSelectMultiple, help_text="None: all of them."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["destinations"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = destination_choices()


class SignupForm(PreferencesForm):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    source = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)

    field_order = ["email", "interests", "destinations", "source"]
