from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "tripwise.mail"
    verbose_name = "Outgoing email"
