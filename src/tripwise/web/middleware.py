from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.defaults import page_not_found, permission_denied

from tripwise.core.errors import NotFound, TripwiseError

NUL_MESSAGE = (
    "The address or the text sent contains a NUL character (%00, \\u0000), which no field can hold."
    " Remove it and try again."
)


def _body_has_nul(request: HttpRequest) -> bool:
    """A NUL in a JSON body or in a form's text fields (a message, a comment, a name); uploaded files may
    hold any bytes."""
    if request.method not in {"POST", "PUT", "PATCH"}:
        return False
    if request.content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        return any("\x00" in key + value for key, values in request.POST.lists() for value in values)
    return False


class RejectNulCharactersMiddleware:
    """Refuse NUL characters in the path, the query string or a text body before any view sees them.

    PostgreSQL cannot store or even compare text containing NUL, so without this a stray %00 becomes a
    server error deep in a query on PostgreSQL while SQLite quietly accepts it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" in request.path
            or "%00" in query
            or any("\x00" in value for value in request.GET.values())
            or _body_has_nul(request)
        ):
            if request.path.startswith("/api/"):
                error = {"error": {"code": "bad_characters", "message": NUL_MESSAGE}}
                return JsonResponse(error, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NotFoundMiddleware:
    """Selectors raise the core's NotFound (the core knows no Django); pages answer it with the 404 page, and
    a permission refused (TripwiseError with status 403) with the 403 page.

    The API has its own handler (tripwise.api.router), which returns the JSON error format instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound) or (
            isinstance(exception, TripwiseError) and exception.status == 404
        ):
            return page_not_found(request, Http404(exception.message))
        if isinstance(exception, TripwiseError) and exception.status == 403:
            # A role too low for the action (a viewer pressing an editor's button): the 403 page says which.
            return permission_denied(request, PermissionDenied(exception.message))
        return None
