from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .mfa import remember_mfa_requirement

        user_logged_in.connect(remember_mfa_requirement, dispatch_uid="accounts.mfa.remember")
