from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The empty choice of every select, instead of Django's « --------- » (read aloud as dashes by screen readers).
EMPTY_CHOICE = _("Choisir…")


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .mfa import remember_mfa_requirement

        user_logged_in.connect(remember_mfa_requirement, dispatch_uid="accounts.mfa.remember")

        # accounts is the lowest app: every form of the project is built after this runs.
        from django import forms
        from django.db.models import fields

        fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
        forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE
