"""Forms of the planner page and of the plan page's edit controls.

They check the shape of what a person typed and turn it into the plain dicts of docs/plans.md; whether the
trip can be planned (a place exists, a lock fits its opening hours) is the services' business, and their
TripwiseError message is shown next to the form by the view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from tripwise.places.models import Destination, Place

MODES = [("walk", "Walk"), ("transit", "Public transport"), ("car", "Car or taxi")]
PACES = [
    ("relaxed", "Relaxed: longer visits, more slack"),
    ("normal", "Normal"),
    ("packed", "Packed: as much as fits"),
]
MAX_DAYS = 14
INTEREST_SUGGESTIONS = 8


def _place_choices(places: Iterable[Place]) -> list[tuple[str, str]]:
    return [(place.slug, place.name) for place in places]


def interest_suggestions(places: Iterable[Place], *, limit: int = INTEREST_SUGGESTIONS) -> list[str]:
    """The interest words most places of the destination share: a word that matches one place helps little."""
    counts = Counter(tag for place in places for tag in place.tags if isinstance(tag, str) and tag)
    return [tag for tag, _ in counts.most_common(limit)]


def default_start_date() -> date:
    # A week ahead leaves time to book, and lands on the same weekday as today, which people find easy to
    # check; the server's date is good enough for a default the traveller sees and can change.
    return timezone.localdate() + timedelta(days=7)


class PlannerForm(forms.Form):
    """The trip request form. `trip_request()` returns the request dict of docs/plans.md."""

    # Chosen by the small form above this one (it reloads the place lists), so it travels here hidden.
    destination = forms.ModelChoiceField(
        queryset=Destination.objects.all(), to_field_name="slug", widget=forms.HiddenInput
    )
    start_date = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(
        label="Number of days",
        min_value=1,
        max_value=MAX_DAYS,
        initial=2,
        error_messages={
            "min_value": "Plan at least 1 day.",
            "max_value": f"Plan at most {MAX_DAYS} days; split a longer trip into parts.",
        },
    )
    day_start = forms.TimeField(
        label="Days start at",
        initial=time(9, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    day_end = forms.TimeField(
        label="Days end at",
        initial=time(20, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    base = forms.ChoiceField(label="Each day starts and ends at", required=False)
    modes = forms.MultipleChoiceField(
        label="Getting around",
        choices=MODES,
        initial=["walk", "transit"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way of getting around."},
    )
    must_see = forms.MultipleChoiceField(
        label="Must see", required=False, widget=forms.CheckboxSelectMultiple
    )
    avoid = forms.MultipleChoiceField(label="Avoid", required=False, widget=forms.CheckboxSelectMultiple)
    interest_tags = forms.MultipleChoiceField(
        label="Suggested interests", required=False, widget=forms.CheckboxSelectMultiple
    )
    interests = forms.CharField(
        label="Other interests",
        required=False,
        max_length=300,
        help_text="Words separated by commas, e.g. history, food.",
    )
    budget_amount = forms.DecimalField(
        label="Budget",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="The most the party spends on tickets and meals over the whole trip. Leave empty for none.",
    )
    budget_currency = forms.ChoiceField(label="Budget currency")
    currency = forms.ChoiceField(label="Also show prices in")
    adults = forms.IntegerField(min_value=1, max_value=20, initial=2)
    children = forms.IntegerField(min_value=0, max_value=20, initial=0)
    pace = forms.ChoiceField(choices=PACES, initial="normal", widget=forms.RadioSelect)

    def __init__(
        self,
        *args: Any,
        destination: Destination,
        places: Sequence[Place],
        visitor_currency: str,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.chosen_destination = destination
        self.places = list(places)
        place_choices = _place_choices(self.places)
        currencies = [(code, code) for code in sorted(settings.CURRENCY_RATES)]
        # The base select offers the centre first: it is the default the planner uses without a base.
        self._choices("base", [("", f"{destination.name} centre"), *place_choices])
        self._choices("must_see", place_choices)
        self._choices("avoid", place_choices)
        self._choices("interest_tags", [(tag, tag) for tag in interest_suggestions(self.places)])
        self._choices("budget_currency", currencies)
        self._choices("currency", currencies)
        # The slug, even when the address named the destination by an alias ("Nur-Sultan").
        self.initial["destination"] = destination.slug
        self.fields["start_date"].initial = default_start_date
        self.fields["budget_currency"].initial = destination.currency
        self.fields["currency"].initial = visitor_currency

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # the fields above are declared so
        field.choices = choices

    def clean_interests(self) -> list[str]:
        words = (word.strip() for word in self.cleaned_data.get("interests", "").split(","))
        return [word for word in words if word]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("day_start"), cleaned.get("day_end")
        if start is not None and end is not None and end <= start:
            self.add_error("day_end", "Days must end after they start, e.g. 09:00 to 20:00.")
        both = set(cleaned.get("must_see", [])) & set(cleaned.get("avoid", []))
        if both:
            names = ", ".join(place.name for place in self.places if place.slug in both)
            self.add_error("avoid", f"A place cannot be both a must-see and avoided: {names}.")
        return cleaned

    def trip_request(self) -> dict[str, Any]:
        """The trip request (docs/plans.md) from a valid form; empty optional fields are left to defaults."""
        data = self.cleaned_data
        interests = list(dict.fromkeys([*data["interest_tags"], *data["interests"]]))
        request: dict[str, Any] = {
            "destination": data["destination"].slug,
            "start_date": data["start_date"].isoformat(),
            "days": data["days"],
            "day_start": data["day_start"].strftime("%H:%M"),
            "day_end": data["day_end"].strftime("%H:%M"),
            "modes": data["modes"],
            "must_see": data["must_see"],
            "avoid": data["avoid"],
            "interests": interests,
            "party": {"adults": data["adults"], "children": data["children"]},
            "pace": data["pace"],
            "currency": data["currency"],
        }
        if data["base"]:
            request["base"] = data["base"]
        if data["budget_amount"] is not None:
            # A string, not a float: amounts stay exact decimals all the way to the planner.
            request["budget"] = {"amount": str(data["budget_amount"]), "currency": data["budget_currency"]}
        return request


def initial_from_request(request: dict[str, Any]) -> dict[str, Any]:
    """Planner form values from a trip request (docs/plans.md), e.g. one the assistant understood."""
    initial: dict[str, Any] = {}
    for name in ("start_date", "days", "modes", "must_see", "avoid", "pace"):
        if name in request:
            initial[name] = request[name]
    if request.get("interests"):
        initial["interests"] = ", ".join(request["interests"])
    if isinstance(request.get("party"), dict):
        initial["adults"] = max(1, request["party"].get("adults", 1))
        initial["children"] = request["party"].get("children", 0)
    if isinstance(request.get("budget"), dict):
        initial["budget_amount"] = request["budget"]["amount"]
        initial["budget_currency"] = request["budget"]["currency"]
    return initial


class PlanChangeForm(forms.Form):
    """One edit of a plan (lock, unlock, remove, add, pace); `change()` returns the dict plan_change takes."""

    ACTIONS = ["lock", "unlock", "remove", "add", "pace"]

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    place_id = forms.SlugField(required=False, max_length=120)
    date = forms.DateField(required=False)
    start = forms.TimeField(required=False)
    pace = forms.ChoiceField(choices=PACES, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        needed = {
            "lock": ["place_id", "date", "start"],
            "unlock": ["place_id"],
            "remove": ["place_id"],
            "add": ["place_id"],
            "pace": ["pace"],
        }.get(action or "", [])
        messages = {
            "place_id": "Choose a place.",
            "date": "Choose the day to lock the visit to.",
            "start": "Give the time the visit starts, e.g. 10:00.",
            "pace": "Choose a pace.",
        }
        for name in needed:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, messages[name])
        return cleaned

    def change(self) -> dict[str, Any]:
        data = self.cleaned_data
        action: str = data["action"]
        if action == "pace":
            return {"action": "pace", "pace": data["pace"]}
        change: dict[str, Any] = {"action": action, "place_id": data["place_id"]}
        if action == "lock":
            change["date"] = data["date"].isoformat()
            change["start"] = data["start"].strftime("%H:%M")
        return change

    def error_text(self) -> str:
        """All errors as one sentence list: the edit controls are tiny forms, shown again as a page message."""
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


class ShareForm(forms.Form):
    """One button of the share dialog; `op` says which."""

    OPS = ["link", "link_revoke", "invite", "invite_revoke", "role", "remove", "public"]
    ROLES = [("viewer", "Viewer"), ("commenter", "Commenter"), ("editor", "Editor")]

    op = forms.ChoiceField(choices=[(op, op) for op in OPS])
    role = forms.ChoiceField(choices=ROLES, required=False)
    email = forms.EmailField(required=False, max_length=254)
    token = forms.CharField(required=False, max_length=64)
    invitation = forms.IntegerField(required=False, min_value=1)
    user = forms.IntegerField(required=False, min_value=1)
    public = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needed = {
            "link": ["role"], "link_revoke": ["token"], "invite": ["email", "role"],
            "invite_revoke": ["invitation"], "role": ["user", "role"], "remove": ["user"],
        }.get(cleaned.get("op") or "", [])  # fmt: skip
        for name in needed:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, f"{name.capitalize()} is needed for this.")
        return cleaned

    def error_text(self) -> str:
        return " ".join(str(error) for errors in self.errors.values() for error in errors)
