"""What the alerts app does when a lower app says something changed (connected in `AlertsConfig.ready`)."""

from django.dispatch import receiver

from parcours.signals import people_changed, person_changed

from . import services


@receiver(person_changed, dispatch_uid="alerts.rerun_person_rules")
def rerun_person_rules(sender, person_id: int, **kwargs) -> None:
    services.person_changed(person_id)


@receiver(people_changed, dispatch_uid="alerts.rerun_people_rules")
def rerun_people_rules(sender, person_ids: list[int], **kwargs) -> None:
    services.people_changed(person_ids)
