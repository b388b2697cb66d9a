from django.apps import AppConfig


class TripsConfig(AppConfig):
    name = "tripwise.trips"
    verbose_name = "Trips and plans"
