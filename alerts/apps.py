from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alertes de rupture")

    def ready(self) -> None:
        # Listens to `parcours.signals.person_changed` (the people app may not import us).
        from . import receivers  # noqa: F401
