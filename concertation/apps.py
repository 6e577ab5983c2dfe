from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcertationConfig(AppConfig):
    name = "concertation"
    verbose_name = _("Concertation")

    def ready(self) -> None:
        # The lower apps may not import us: we plug into their registries here.
        from alerts.rules import register
        from parcours.access import register_coordinator_grant

        from . import alert_rule
        from .models import nominative_case_people

        register(alert_rule)  # DECISION_OVERDUE runs in the alerts engine
        register_coordinator_grant(nominative_case_people)  # R4: a nominative case opens the file to coordinators
