"""The pages of a provider's staff: their experiences and the applications waiting, a day's departures with
the travellers (and its CSV), one application to accept or decline, one experience's schedule, days that
differ and seats. Signed out: the sign-in page; signed in but on no provider's staff: the 403 page."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tripwise.core.errors import TripwiseError
from tripwise.experiences import selectors
from tripwise.experiences.applications import application_accept, application_decline
from tripwise.experiences.forms import (
    CapacityForm,
    DayForm,
    DecisionForm,
    ExceptionForm,
    ScheduleForm,
    error_text,
    language_name,
)
from tripwise.experiences.models import Experience, Provider
from tripwise.experiences.provider import capacity_set, day_exception_set, require_provider, schedule_set

NEXT_DEPARTURES_DAYS = 14


def _staff(request: HttpRequest) -> tuple[User, list[Provider]]:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    providers = list(selectors.providers_of(user))
    if not providers:
        raise TripwiseError(
            "not_provider_staff",
            "These pages are for the staff of experience providers, and your account is on no provider's staff. "
            "Ask the provider to add you.",
            status=403,
        )
    return user, providers


def _chosen(providers: list[Provider], slug: str) -> Provider:
    for provider in providers:
        if provider.slug == slug:
            return provider
    return providers[0]


def _today(provider: Provider) -> date:
    experience = provider.experiences.select_related("place").first()
    zone = ZoneInfo(experience.timezone) if experience is not None else None
    return timezone.now().astimezone(zone).date() if zone else timezone.localdate()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _user, providers = _staff(request)
    sections = [
        {
            "provider": provider,
            "experiences": list(provider.experiences.select_related("place").order_by("title")),
            "waiting": list(selectors.applications_waiting(provider)),
            "day_form": DayForm(initial={"date": _today(provider), "provider": provider.slug}),
        }
        for provider in providers
    ]
    return render(request, "experiences/provider_home.html", {"sections": sections})


def _day_request(request: HttpRequest, providers: list[Provider]) -> tuple[Provider, date, DayForm]:
    form = DayForm(request.GET or None)
    provider = _chosen(providers, request.GET.get("provider", ""))
    day = form.cleaned_data["date"] if request.GET and form.is_valid() else _today(provider)
    return provider, day, form


@login_required
def day(request: HttpRequest) -> HttpResponse:
    _user, providers = _staff(request)
    provider, chosen, form = _day_request(request, providers)
    rows = selectors.provider_day(provider=provider, day=chosen)
    return render(
        request,
        "experiences/provider_day.html",
        {
            "provider": provider,
            "providers": providers,
            "day": chosen,
            "previous": chosen - timedelta(days=1),
            "next": chosen + timedelta(days=1),
            "rows": rows,
            "errors": error_text([form]) if request.GET else [],
        },
    )


CSV_COLUMNS = ["experience", "start", "reference", "name", "email", "adults", "children", "language"]


@login_required
def day_csv(request: HttpRequest) -> HttpResponse:
    _user, providers = _staff(request)
    provider, chosen, _form = _day_request(request, providers)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{provider.slug}-{chosen.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in selectors.provider_day(provider=provider, day=chosen):
        experience = row["experience"]
        start = row["slot"].starts_at.astimezone(ZoneInfo(experience.timezone))
        for booking in row["bookings"]:
            writer.writerow(
                [
                    experience.title,
                    start.strftime("%Y-%m-%d %H:%M"),
                    booking.reference,
                    booking.name,
                    booking.email,
                    booking.adults,
                    booking.children,
                    booking.language,
                ]
            )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.application_get(code)
    user = request.user
    assert isinstance(user, User)
    require_provider(user, item.experience)
    form = DecisionForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            decide = application_accept if form.cleaned_data["decision"] == "accept" else application_decline
            try:
                item = decide(application=item, by=user, note=form.cleaned_data["note"])
            except TripwiseError as error:
                errors.append(error.message)
            else:
                messages.success(
                    request,
                    f"Application {item.reference} {item.get_status_display().lower()}; {item.name} is told by email.",
                )
                return redirect("experiences:provider_application", code=item.code)
        else:
            errors = error_text([form])
    return render(
        request,
        "experiences/provider_application.html",
        {
            "application": item,
            "experience": item.experience,
            "form": form,
            "errors": errors,
            "language": language_name(item.language) if item.language else "",
            "open": item.status == item.Status.SUBMITTED,
        },
        status=422 if errors else 200,
    )


def _next_departures(experience: Experience) -> list[Any]:
    today = timezone.now().astimezone(ZoneInfo(experience.timezone)).date()
    return selectors.slots_between(experience, first=today, last=today + timedelta(days=NEXT_DEPARTURES_DAYS))


@login_required
@require_http_methods(["GET", "POST"])
def experience(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.experience_get(slug)
    user = request.user
    assert isinstance(user, User)
    require_provider(user, item)
    which = request.POST.get("form", "")
    schedule_form = ScheduleForm(
        request.POST if which == "schedule" else None, initial={"schedule": item.schedule}
    )
    exception_form = ExceptionForm(request.POST if which == "exception" else None)
    capacity_form = CapacityForm(request.POST if which == "capacity" else None)
    errors: list[str] = []
    if request.method == "POST":
        try:
            done = _provider_change(which, item, user, schedule_form, exception_form, capacity_form)
        except TripwiseError as error:
            errors.append(error.message)
        else:
            if done is None:
                errors = error_text([schedule_form, exception_form, capacity_form]) or ["Nothing to change."]
            else:
                messages.success(request, done)
                return redirect(reverse("experiences:provider_experience", kwargs={"slug": item.slug}))
    return render(
        request,
        "experiences/provider_experience.html",
        {
            "experience": item,
            "schedule_form": schedule_form,
            "exception_form": exception_form,
            "slots": _next_departures(item),
            "exceptions": list(item.exceptions.filter(date__gte=timezone.now().date() - timedelta(days=1))),
            "rules": selectors.rules_in_words(item),
            "errors": errors,
            "which": which,
        },
        status=422 if errors else 200,
    )


def _provider_change(
    which: str,
    item: Experience,
    user: User,
    schedule_form: ScheduleForm,
    exception_form: ExceptionForm,
    capacity_form: CapacityForm,
) -> str | None:
    """The one service the posted form asks for; None when the form is not valid."""
    if which == "schedule" and schedule_form.is_valid():
        report = schedule_set(experience=item, schedule=schedule_form.cleaned_data["schedule"], by=user)
        return f"Schedule saved: {report.created} departures made, {report.removed} removed" + (
            f", {report.kept_with_travellers} kept because travellers are booked on them."
            if report.kept_with_travellers
            else "."
        )
    if which == "exception" and exception_form.is_valid():
        data = exception_form.cleaned_data
        exception = day_exception_set(
            experience=item,
            day=data["date"],
            by=user,
            closed=data["closed"],
            times=data["times"],
            capacity=data["capacity"],
            note=data["note"],
        )
        return f"{exception.date:%A %d %B} saved{': no departures' if exception.closed else ''}."
    if which == "capacity" and capacity_form.is_valid():
        slot = selectors.slot_get(capacity_form.cleaned_data["slot"])
        if slot.experience_id != item.pk:
            raise TripwiseError("not_found", "That departure is not one of this experience's.", status=404)
        slot = capacity_set(slot=slot, capacity=capacity_form.cleaned_data["capacity"], by=user)
        start = slot.starts_at.astimezone(ZoneInfo(item.timezone))
        return f"{start:%A %d %B %H:%M}: {slot.capacity} seats."
    return None
