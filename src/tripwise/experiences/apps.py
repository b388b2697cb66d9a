from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "tripwise.experiences"
    verbose_name = "Experiences and bookings"
