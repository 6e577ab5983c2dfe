"""The alerts part of anonymisation (privacy.md §6): notes are free text and go; coded data stays."""

from .models import Alert, AlertTransition


def clear_free_text(person_ids) -> int:
    person_ids = list(person_ids)
    count = Alert.objects.filter(person_id__in=person_ids).exclude(note="").update(note="")
    AlertTransition.objects.filter(alert__person_id__in=person_ids).exclude(note="").update(note="")
    return count
