from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DpoConfig(AppConfig):
    name = "dpo"
    label = "dpo"
    verbose_name = _("Protection des données")

    def ready(self):
        from . import receivers

        receivers.connect()
