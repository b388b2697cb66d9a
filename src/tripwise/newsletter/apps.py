from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "tripwise.newsletter"
    verbose_name = "Newsletter"
