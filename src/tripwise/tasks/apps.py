from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tripwise.tasks"
    verbose_name = "Background tasks"
