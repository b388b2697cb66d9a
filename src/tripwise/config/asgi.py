import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripwise.config.settings")
application = get_asgi_application()

from tripwise.config.warm import warm_in_background  # noqa: E402 - after Django is set up

warm_in_background()
