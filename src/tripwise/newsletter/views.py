"""Newsletter pages: sign up, confirm (a page with a button: only its POST confirms), preferences and
unsubscribing (a page with a button, and the RFC 8058 one-click POST that mail programs send)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tripwise.core.errors import TripwiseError
from tripwise.newsletter import services
from tripwise.newsletter.forms import PreferencesForm, SignupForm
from tripwise.newsletter.models import Subscriber
from tripwise.newsletter.selectors import subscriber_by_token
from tripwise.newsletter.tokens import Purpose, manage_token

LinkView = Callable[[HttpRequest, Subscriber, str], HttpResponse]


def _client(request: HttpRequest, source: str) -> services.Client:
    # REMOTE_ADDR: behind a proxy, uvicorn's --proxy-headers puts the visitor's address there.
    return services.Client(
        source=source or "site",
        ip=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", ""),
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    initial = {"source": request.GET.get("source", "newsletter page")[:100]}
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    form = SignupForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.subscription_request(
                    email=form.cleaned_data["email"],
                    interests=form.cleaned_data["interests"],
                    destinations=form.cleaned_data["destinations"],
                    client=_client(request, form.cleaned_data["source"]),
                )
            except TripwiseError as error:
                form.add_error(None, error.message)
                status = error.status if error.status == 429 else 422
            else:
                # The same page whatever the address's state: the email tells the rest to its owner alone.
                return render(request, "newsletter/check_email.html", {"email": form.cleaned_data["email"]})
    return render(request, "newsletter/signup.html", {"form": form}, status=status)


def by_link(purpose: Purpose) -> Callable[[LinkView], Callable[[HttpRequest, str], HttpResponse]]:
    """The view gets the subscriber the link's token names; a link that is forged, cut short or too old gets
    a page that says so and what to do (a fresh link comes with signing up again)."""

    def decorate(view: LinkView) -> Callable[[HttpRequest, str], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            try:
                subscriber = subscriber_by_token(token, purpose)
            except TripwiseError as error:
                return render(request, "newsletter/bad_link.html", {"error": error}, status=404)
            return view(request, subscriber, token)

        return wrapper

    return decorate


@require_http_methods(["GET", "POST"])
@by_link("confirm")
def confirm(request: HttpRequest, subscriber: Subscriber, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.subscription_confirm(subscriber=subscriber, client=_client(request, "email link"))
        except TripwiseError as error:
            return render(
                request, "newsletter/confirm.html", {"subscriber": subscriber, "error": error}, status=409
            )
        messages.success(request, "Your subscription is confirmed. Welcome aboard!")
        return redirect("newsletter:manage", token=manage_token(subscriber.pk, subscriber.email))
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
@by_link("manage")
def manage(request: HttpRequest, subscriber: Subscriber, token: str) -> HttpResponse:
    initial = {
        "interests": subscriber.interests,
        "destinations": [destination.slug for destination in subscriber.destinations.all()],
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(
            subscriber=subscriber,
            interests=form.cleaned_data["interests"],
            destinations=form.cleaned_data["destinations"],
            client=_client(request, "preferences page"),
        )
        messages.success(request, "Your preferences are saved.")
        return redirect("newsletter:manage", token=token)
    context = {"subscriber": subscriber, "form": form, "token": token}
    return render(request, "newsletter/manage.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@by_link("manage")
def unsubscribe_page(request: HttpRequest, subscriber: Subscriber, token: str) -> HttpResponse:
    if request.method == "POST":
        subscriber = services.unsubscribe(subscriber=subscriber, client=_client(request, "unsubscribe page"))
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber, "token": token})


@csrf_exempt  # the mail program posts it (RFC 8058): it has no session, and the signed token is the proof
@require_POST
@by_link("manage")
def one_click(request: HttpRequest, subscriber: Subscriber, token: str) -> HttpResponse:
    """`List-Unsubscribe-Post: List-Unsubscribe=One-Click`: the mail program POSTs that body here, and the
    address is unsubscribed at once. No redirect, no page to read: a plain 200."""
    services.unsubscribe(subscriber=subscriber, client=_client(request, "one-click"))
    return HttpResponse("Unsubscribed.\n", content_type="text/plain")
