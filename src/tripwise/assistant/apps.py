from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "tripwise.assistant"
    verbose_name = "Trip assistant"
