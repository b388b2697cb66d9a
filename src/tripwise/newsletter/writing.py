"""A campaign's email for one recipient: the campaign's parts (written once per sender run) inside the
newsletter's frame, with the recipient's own links to their preferences and to unsubscribe, and the headers
that let a mail program unsubscribe in one click (RFC 2369 List-Unsubscribe, RFC 8058 List-Unsubscribe-Post).
"""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from tripwise.newsletter.emails import links
from tripwise.newsletter.models import Campaign, Delivery
from tripwise.newsletter.rendering import campaign_html, campaign_text

__all__ = ["CampaignWriter"]


class CampaignWriter:
    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.html = campaign_html(campaign.body)
        self.text = campaign_text(campaign.body)
        self.domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "tripwise.invalid"

    def message_id(self, delivery: Delivery) -> str:
        # The same for every attempt: a receiving system that sees it twice can tell it is one message.
        return f"<campaign-{self.campaign.pk}-subscriber-{delivery.subscriber_id}@{self.domain}>"

    def message(self, delivery: Delivery, *, subject_prefix: str = "") -> EmailMultiAlternatives:
        urls = links(delivery.subscriber)
        context = {"campaign": self.campaign, "body_html": self.html, "body_text": self.text, **urls}
        message = EmailMultiAlternatives(
            subject=subject_prefix + self.campaign.subject,
            body=render_to_string("newsletter/email/campaign.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.email],
            headers={
                "Message-ID": self.message_id(delivery),
                "List-Id": f"Tripwise newsletter <newsletter.{self.domain}>",
                "List-Unsubscribe": f"<{urls['one_click_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Precedence": "bulk",
            },
        )
        message.attach_alternative(render_to_string("newsletter/email/campaign.html", context), "text/html")
        return message
