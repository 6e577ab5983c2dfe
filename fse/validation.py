"""The rules between a participant's values (fse.md §8), written once with one French wording.

`participant_errors(values, operation=…, today=…)` takes the model's field names and returns the broken rules
as `(field name, message)`. The form (`ParticipantForm.clean`) adds them to its fields; the import
(`importer.parse`) reports them on the file's columns (`importer.COLUMN_OF`). A value that is missing or could
not be read is skipped: its own error is reported elsewhere.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import LabourStatusEntry

__all__ = ["EXIT_ONLY_FIELDS", "participant_errors"]

# Exit data that make sense only once the exit date is known.
EXIT_ONLY_FIELDS = ["exit_observed_on", "lm_status_exit", "in_education_or_training_exit", "qualification_gained"]


def participant_errors(values: dict, *, operation=None, today: datetime.date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    errors = []
    birth, entry, exit_on = values.get("birth_date"), values.get("entry_on"), values.get("exit_on")
    status, since = values.get("lm_status_entry"), values.get("unemployed_since")
    observed, exit_status = values.get("exit_observed_on"), values.get("lm_status_exit")
    if birth and birth > today:
        errors.append(("birth_date", _("La date de naissance est dans le futur.")))
    if birth and birth.year < 1900:
        errors.append(("birth_date", _("La date de naissance n'est pas plausible (avant 1900).")))
    if birth and entry and birth >= entry:
        errors.append(("birth_date", _("La date de naissance doit précéder la date d'entrée.")))
    if operation is not None and entry and not (operation.start_on <= entry <= operation.end_on):
        errors.append(
            (
                "entry_on",
                _("La date d'entrée doit être dans la période de l'opération (du %(start)s au %(end)s).")
                % {"start": operation.start_on.strftime("%d/%m/%Y"), "end": operation.end_on.strftime("%d/%m/%Y")},
            )
        )
    if status == LabourStatusEntry.UNEMPLOYED and not since:
        errors.append(("unemployed_since", _("Obligatoire pour un·e chômeur·se.")))
    if status and status != LabourStatusEntry.UNEMPLOYED and since:
        errors.append(("unemployed_since", _("À laisser vide quand la personne n'est pas au chômage.")))
    if since and entry and since > entry:
        errors.append(("unemployed_since", _("Le début du chômage ne peut pas suivre la date d'entrée.")))
    if exit_on is None:
        for name in EXIT_ONLY_FIELDS:
            if values.get(name):
                errors.append((name, _("À laisser vide tant que la date de sortie n'est pas renseignée.")))
        return errors
    if entry and exit_on < entry:
        errors.append(("exit_on", _("La date de sortie ne peut pas précéder la date d'entrée.")))
    if exit_on > today:
        errors.append(("exit_on", _("La date de sortie est dans le futur.")))
    if observed and observed < exit_on:
        errors.append(("exit_observed_on", _("La situation de sortie ne peut pas être observée avant la sortie.")))
    if observed and not exit_status:
        errors.append(("lm_status_exit", _("Obligatoire quand la date d'observation est renseignée.")))
    if exit_status and not observed:
        errors.append(("exit_observed_on", _("Obligatoire quand la situation de sortie est renseignée.")))
    return errors
