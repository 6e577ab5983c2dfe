from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Brouillon")
    SUBMITTED = "SUBMITTED", _("Soumise au comité du PTI")
    EXAMINED = "EXAMINED", _("Examinée")
    RETAINED = "RETAINED", _("Retenue")
    NOT_RETAINED = "NOT_RETAINED", _("Non retenue")


# Allowed moves: draft → submitted → examined → retained / not retained.
NEXT_STATUSES = {
    ProposalStatus.DRAFT: (ProposalStatus.SUBMITTED,),
    ProposalStatus.SUBMITTED: (ProposalStatus.EXAMINED,),
    ProposalStatus.EXAMINED: (ProposalStatus.RETAINED, ProposalStatus.NOT_RETAINED),
    ProposalStatus.RETAINED: (),
    ProposalStatus.NOT_RETAINED: (),
}


class NoteStatus(models.TextChoices):
    PENDING = "PENDING", _("En attente")
    RUNNING = "RUNNING", _("En cours")
    DONE = "DONE", _("Prête")
    FAILED = "FAILED", _("Échec")
