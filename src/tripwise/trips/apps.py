from django.apps import AppConfig


class TripsConfig(AppConfig):
    name = "tripwise.trips"
    verbose_name = "Trips and plans"

    def ready(self) -> None:
        # Every change-log entry, whoever writes it (pages, API, assistant, sharing, wish list), is
        # broadcast to the trip's open pages once its transaction commits.
        from tripwise.trips import live

        live.connect_signals()
