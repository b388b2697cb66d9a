from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from tripwise.api.router import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("tripwise.guides.urls")),
    path("", include("tripwise.places.urls")),
    path("", include("tripwise.trips.urls")),
    path("", include("tripwise.assistant.urls")),
    path("", include("tripwise.experiences.urls")),
    path("", include("tripwise.accounts.urls")),
    path("", include("tripwise.newsletter.urls")),
    path("", include("tripwise.web.urls")),
]
if settings.SERVE_MEDIA:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
