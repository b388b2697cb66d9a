from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tripwise.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tripwise.accounts.session import claim_on_sign_in

        # Django's own signal, not allauth's: every way of signing in (the form, confirming the address in
        # the browser that signed up, the admin) passes through django.contrib.auth.login.
        user_logged_in.connect(claim_on_sign_in, dispatch_uid="tripwise.accounts.claim_on_sign_in")
