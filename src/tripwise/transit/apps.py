from django.apps import AppConfig


class TransitConfig(AppConfig):
    name = "tripwise.transit"
    verbose_name = "Transit timetables"
