"""The JSON API (django-ninja): one router per app, one error format, described at /api/openapi.json."""
