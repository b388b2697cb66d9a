"""allauth, adapted: links in emails point at TRIPWISE_SITE_URL, not at whatever Host the request named.

ALLOWED_HOSTS already refuses forged Host headers, but behind a proxy the request's host can be an internal
name; the public address is the one setting that is right for a link read in a mailbox.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no type hints
    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation: Any) -> str:
        return site_link(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's own way of putting its opaque "uid-key" into the URL pattern's two parts.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_link(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "site_url": settings.SITE_URL})
