"""Django project wiring: settings, URLs, WSGI/ASGI entry points."""
