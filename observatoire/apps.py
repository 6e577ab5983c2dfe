from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoireConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observatoire"
    verbose_name = _("Observatoire")
