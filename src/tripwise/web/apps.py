from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tripwise.web"
    verbose_name = "Web pages"
