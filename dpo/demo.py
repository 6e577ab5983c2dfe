"""Demo data of the DPO app (after every other seeder): people due for anonymisation, one under a legal hold,
one about to be warned, two structures' private notes on one person and an access request for them."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from parcours.enums import EventKind, FollowUpEndReason, FollowUpKind, SharingBasis, Visibility
from parcours.models import Event, FollowUp, Person, RightsRequest, RightsRequestKind, add_months
from parcours.services import refresh_last_contact
from partenaires.territory import structure

# (last name, first name, months and days since the last contact, legal hold)
OLD_FILES = [
    ("Ancien", "Dossier-Un", (24, 20), False),
    ("Ancien", "Dossier-Deux", (26, 0), False),
    ("Litige", "Conservé", (25, 0), True),
    ("Bientôt", "Averti", (23, 15), False),
]
PRIVATE_NOTES = {
    "chrs": "Note privée du CHRS (démo) : point sur les démarches de logement.",
    "aci": "Note privée de l'ACI (démo) : point sur le poste de travail.",
}


def _ago(today: dt.date, months: int, days: int) -> dt.datetime:
    day = add_months(today, -months) - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    chrs, aci = structure("chrs"), structure("aci")
    worker_chrs = User.objects.get(email="ts.chrs@demo.test")
    worker_aci = User.objects.get(email="cip.aci@demo.test")
    created = 0
    for index, (last_name, first_name, (months, days), hold) in enumerate(OLD_FILES):
        contact = _ago(today, months, days)
        person = Person.objects.filter(last_name=last_name, first_name=first_name).first()
        if person is None:
            person = Person.objects.create(
                last_name=last_name,
                first_name=first_name,
                birth_date=dt.date(1970 + index, 3, 14),
                phone=f"06 90 00 00 0{index}",
                created_by=worker_chrs,
            )
            FollowUp.objects.create(
                person=person,
                structure=chrs,
                referent=worker_chrs,
                kind=FollowUpKind.HOUSING,
                is_lead=True,
                started_on=contact.date() - dt.timedelta(days=200),
                ended_on=contact.date() + dt.timedelta(days=1),
                end_reason=FollowUpEndReason.COMPLETED,
                sharing_basis=SharingBasis.SIAO_L345_2_10,
            )
            Event.objects.create(
                person=person,
                structure=chrs,
                author=worker_chrs,
                kind=EventKind.INTERVIEW,
                at=contact,
                visibility=Visibility.PRIVATE,
                text="Dernier entretien (démo).",
            )
            created += 1
        Person.objects.filter(pk=person.pk).update(
            created_at=contact - dt.timedelta(days=200),
            retention_hold_until=add_months(today, 12) if hold else None,
            retention_hold_reason="Contentieux en cours (démo)" if hold else "",
        )
        refresh_last_contact([person.pk])

    # Two structures' private notes on one person followed by both (the "Export complet" shows both).
    both = (
        Person.objects.filter(anonymised_at__isnull=True, followups__structure=chrs, followups__ended_on__isnull=True)
        .filter(pk__in=FollowUp.objects.open().filter(structure=aci).values("person_id"))
        .order_by("pk")
        .first()
    )
    if both is not None:
        for key, author, where in (("chrs", worker_chrs, chrs), ("aci", worker_aci, aci)):
            Event.objects.get_or_create(
                person=both,
                structure=where,
                text=PRIVATE_NOTES[key],
                defaults={
                    "author": author,
                    "kind": EventKind.NOTE,
                    "at": timezone.now() - dt.timedelta(days=3),
                    "visibility": Visibility.PRIVATE,
                },
            )
        dpo = User.objects.filter(email="dpo@demo.test").first()
        if dpo is not None and not RightsRequest.objects.filter(person=both).exists():
            RightsRequest.objects.create(
                person=both, kind=RightsRequestKind.ACCESS, received_on=today - dt.timedelta(days=5), handled_by=dpo
            )
    if stdout:
        stdout.write(f"dpo: {created} old files for retention ({len(OLD_FILES)} in all), one access request")
