"""The ASGI application: Django's pages and API over HTTP, and the live channel over WebSockets.

Serve it with uvicorn (`uvicorn tripwise.config.asgi:application --lifespan off`); `runserver` speaks HTTP only.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")
# Django must be set up before the consumers (and the models they import) are.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - after Django is set up
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from tripwise.config.limits import RequestsInFlight  # noqa: E402
from tripwise.config.warm import warm_in_background  # noqa: E402
from tripwise.trips.live import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": RequestsInFlight(django_application, limit=settings.MAX_REQUESTS_IN_FLIGHT),
        # The socket is opened with the browser's session cookie, so another site's page must not open it
        # in the visitor's name (cross-site WebSocket hijacking): its Origin must be one of ALLOWED_HOSTS.
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

warm_in_background()
