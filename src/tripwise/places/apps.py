from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "tripwise.places"
    verbose_name = "Destinations and places"
