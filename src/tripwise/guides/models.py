from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Guide(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

    destination = models.ForeignKey("places.Destination", on_delete=models.CASCADE, related_name="guides")
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
        help_text="The place this guide is about, if any: its facts panel is shown beside the text.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Markdown. Raw HTML is removed when the guide is shown.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(default=False, help_text="Shown on the home page when published.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["status", "featured"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guides:guide", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class GuideImage(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to="guides/")
    caption = models.CharField(max_length=300)
    credit = models.CharField(max_length=300, help_text="Who made it; shown under the image.")
    licence = models.CharField(max_length=120, blank=True)
    source_url = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption
