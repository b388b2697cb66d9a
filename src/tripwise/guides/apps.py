from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "tripwise.guides"
    verbose_name = "Guides"
