"""Emails written when they are sent: a composer turns stored parameters (a booking's id, say) into a
template, its context and attachments, in the sender rather than in the request that caused the email.

A request that books seats then stores only a row naming the composer; the templates, the calendar and the
MIME work happen in the worker, off the booking's path. Only functions marked with `@mail_composer` can be
named by a row, so a row's text can never make the sender call anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils.module_loading import import_string

__all__ = ["Attachment", "Composed", "Rendered", "composer_name", "composer_of", "mail_composer", "render"]

_MARK = "_tripwise_mail_composer"


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


@dataclass(frozen=True)
class Composed:
    """What a composer returns: the templates' name (`{template}_subject.txt`, `.txt`, `.html`), their
    context, and the attachments and extra headers of the email."""

    template: str
    context: Mapping[str, Any]
    attachments: Sequence[Attachment] = ()
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


Composer = TypeVar("Composer", bound=Callable[..., Composed])


def mail_composer(function: Composer) -> Composer:
    """Mark a function (module level, keyword parameters that JSON can hold) as one an outbox row may name."""
    setattr(function, _MARK, True)
    return function


def composer_name(function: Callable[..., Composed]) -> str:
    if not getattr(function, _MARK, False) or "<" in function.__qualname__:
        raise ValueError(
            f"{function.__qualname__} is not a module-level function marked with @mail_composer."
        )
    return f"{function.__module__}.{function.__qualname__}"


def composer_of(name: str) -> Callable[..., Composed]:
    """The composer a row names; ValueError when the name is not one (renamed since, or never was)."""
    try:
        function = import_string(name)
    except ImportError as missing:
        raise ValueError(f"no composer {name!r}: {missing}") from None
    if not getattr(function, _MARK, False):
        raise ValueError(f"{name!r} is not marked with @mail_composer")
    composer: Callable[..., Composed] = function
    return composer


def _render_one(name: str, context: Mapping[str, Any], *, autoescape: bool) -> str:
    # Plain text and subjects are not HTML: an address or a name with & or ' must arrive as typed.
    return Engine.get_default().get_template(name).render(Context(dict(context), autoescape=autoescape))


def render(template: str, context: Mapping[str, Any]) -> Rendered:
    """`{template}_subject.txt` (on one line), `{template}.txt` and, when it exists, `{template}.html`, with
    `context` and `site_url`."""
    full_context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(_render_one(f"{template}_subject.txt", full_context, autoescape=False).split())
    text = _render_one(f"{template}.txt", full_context, autoescape=False)
    try:
        html = _render_one(f"{template}.html", full_context, autoescape=True)
    except TemplateDoesNotExist as missing:
        if missing.args and missing.args[0] != f"{template}.html":
            raise  # the HTML template exists and includes one that does not
        html = ""
    return Rendered(subject=subject, text=text, html=html)
