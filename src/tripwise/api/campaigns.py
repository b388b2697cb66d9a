"""Campaigns for editors (staff allowed to change campaigns): write a draft, read its preview and progress,
send a test to yourself, send now or at a time, cancel, and list each recipient's outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from tripwise.api.schemas import ERRORS, ErrorOut
from tripwise.core.errors import NotFound, TripwiseError
from tripwise.newsletter.campaigns import (
    campaign_cancel,
    campaign_create,
    campaign_schedule,
    campaign_send_test,
)
from tripwise.newsletter.models import Campaign, Delivery, Subscriber
from tripwise.newsletter.rendering import campaign_html, campaign_text
from tripwise.newsletter.selectors import campaign_progress
from tripwise.trips.permissions import signed_in

router = Router()
CONFLICTS = {**ERRORS, 409: ErrorOut}


class CampaignIn(Schema):
    subject: str = Field(..., max_length=200)
    body: str = Field(..., max_length=100_000, description="Markdown")
    interests: list[str] = Field(default_factory=list, max_length=20)
    destinations: list[str] = Field(default_factory=list, max_length=50)


class CampaignOut(Schema):
    id: int
    subject: str
    status: str
    interests: list[str]
    destinations: list[str]
    send_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    progress: dict[str, int]
    html: str
    text: str


class SendIn(Schema):
    send_at: dt.datetime | None = Field(None, description="Empty: now. A time with its offset.")


class DeliveryOut(Schema):
    email: str
    status: str
    sent_at: dt.datetime | None
    error: str
    unsubscribed_since: bool


class DeliveriesQuery(Schema):
    status: str | None = Field(None, max_length=16)
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=1000)


def _editor(request: HttpRequest) -> User:
    user = signed_in(request, "campaigns are for the newsletter's editors")
    if not (user.is_staff and user.has_perm("newsletter.change_campaign")):
        raise TripwiseError("not_an_editor", "Your account may not write or send campaigns.", status=403)
    return user


def _campaign(campaign_id: int) -> Campaign:
    found = Campaign.objects.filter(pk=campaign_id).prefetch_related("destinations").first()
    if found is None:
        raise NotFound("campaign", campaign_id)
    return found


def _out(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "subject": campaign.subject,
        "status": campaign.status,
        "interests": list(campaign.interests),
        "destinations": sorted(destination.slug for destination in campaign.destinations.all()),
        "send_at": campaign.send_at,
        "started_at": campaign.started_at,
        "finished_at": campaign.finished_at,
        "progress": campaign_progress(campaign),
        "html": campaign_html(campaign.body),
        "text": campaign_text(campaign.body),
    }


@router.post("", response={201: CampaignOut, **ERRORS}, summary="Write a campaign (a draft)")
def create(request: HttpRequest, payload: CampaignIn) -> Status[dict[str, Any]]:
    campaign = campaign_create(
        subject=payload.subject,
        body=payload.body,
        interests=payload.interests,
        destinations=payload.destinations,
        actor=_editor(request),
    )
    return Status(201, _out(_campaign(campaign.pk)))


@router.get("/{campaign_id}", response={200: CampaignOut, **ERRORS}, summary="A campaign: preview, progress")
def detail(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    _editor(request)
    return _out(_campaign(campaign_id))


@router.post("/{campaign_id}/test", response={200: CampaignOut, **ERRORS}, summary="Send a test to yourself")
def test_send(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    editor = _editor(request)
    if not editor.email:
        raise TripwiseError(
            "no_address", "Your account has no email address to send the test to.", status=422
        )
    campaign = _campaign(campaign_id)
    campaign_send_test(campaign=campaign, to=editor.email)
    return _out(campaign)


@router.post("/{campaign_id}/send", response={200: CampaignOut, **CONFLICTS}, summary="Send now or at a time")
def send(request: HttpRequest, campaign_id: int, payload: SendIn) -> dict[str, Any]:
    _editor(request)
    if payload.send_at is not None and payload.send_at.tzinfo is None:
        raise TripwiseError(
            "naive_time", "Give send_at with its UTC offset, e.g. 2026-12-01T09:00:00+05:00.", status=422
        )
    return _out(campaign_schedule(campaign=_campaign(campaign_id), send_at=payload.send_at))


@router.post("/{campaign_id}/cancel", response={200: CampaignOut, **ERRORS}, summary="Stop what is not sent")
def cancel(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    _editor(request)
    return _out(campaign_cancel(campaign=_campaign(campaign_id)))


@router.get(
    "/{campaign_id}/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="Each recipient's outcome",
)
def deliveries(request: HttpRequest, campaign_id: int, query: Query[DeliveriesQuery]) -> list[dict[str, Any]]:
    _editor(request)
    rows = (
        Delivery.objects.filter(campaign=_campaign(campaign_id)).select_related("subscriber").order_by("pk")
    )
    if query.status:
        rows = rows.filter(status=query.status)
    return [
        {
            "email": row.email,
            "status": row.status,
            "sent_at": row.sent_at,
            "error": row.error,
            "unsubscribed_since": row.status == Delivery.Status.SENT
            and row.subscriber.status == Subscriber.Status.UNSUBSCRIBED,
        }
        for row in rows[query.offset : query.offset + query.limit]
    ]
