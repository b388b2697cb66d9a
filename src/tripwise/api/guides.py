from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from tripwise.api.schemas import ERRORS, GuideDetailOut, GuideImageOut, GuideOut
from tripwise.guides.models import Guide
from tripwise.guides.rendering import render_markdown
from tripwise.guides.selectors import guide_get, guides_published
from tripwise.places.selectors import destination_get

router = Router()


def guide_out(guide: Guide) -> GuideOut:
    return GuideOut(
        slug=guide.slug,
        title=guide.title,
        summary=guide.summary,
        destination=guide.destination.slug,
        place=guide.place.slug if guide.place else None,
        featured=guide.featured,
        published_at=guide.published_at,
        url=guide.get_absolute_url(),
    )


@router.get("", response={200: list[GuideOut], **ERRORS}, summary="List published guides")
def list_guides(request: HttpRequest, destination: str | None = None) -> list[GuideOut]:
    where = destination_get(destination) if destination else None
    return [guide_out(guide) for guide in guides_published(destination=where)]


@router.get("/{slug}", response={200: GuideDetailOut, **ERRORS}, summary="One published guide")
def get_guide(request: HttpRequest, slug: str) -> GuideDetailOut:
    guide = guide_get(slug=slug, user=request.user)
    return GuideDetailOut(
        **guide_out(guide).dict(),
        body_markdown=guide.body,
        body_html=render_markdown(guide.body),
        images=[
            GuideImageOut(
                url=image.file.url, caption=image.caption, credit=image.credit, licence=image.licence
            )
            for image in guide.images.all()
        ],
    )
