"""Labels for the coded situation of a case (anonymous presentation): group and status labels, counts."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcours.enums import EmploymentStatus, HousingGroup


def situation_labels(codes: dict) -> list[str]:
    labels = []
    group = codes.get("housing_group")
    if group in HousingGroup.values:
        labels.append(_("Logement : %(group)s") % {"group": HousingGroup(group).label})
    for code in codes.get("employment") or []:
        if code in EmploymentStatus.values:
            labels.append(_("Emploi : %(status)s") % {"status": EmploymentStatus(code).label})
    barriers = codes.get("active_barriers") or 0
    if barriers:
        labels.append(
            ngettext("%(n)s frein périphérique actif", "%(n)s freins périphériques actifs", barriers) % {"n": barriers}
        )
    return labels
