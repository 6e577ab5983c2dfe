"""Demo FSE+ operation (part of seed_demo; idempotent).

The operation is always created. Participants are built only for demo persons that exist (the people app's
seeder creates them): each one prefilled from the person's situations, completed with varied answers, about a
third of them exited, so that the demo report has non-trivial figures.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from parcours.models import Person
from partenaires.territory import structure

from . import people
from .enums import Answer, ExitReason, Gender, Housing, LabourStatusEntry, LabourStatusExit, Nationality, Programme
from .models import Operation, Participant
from .services import match_key, participant_save

NUMBER = "FSE-2024-00042"
TITLE = "Coordination hébergement-emploi de la Vallée"
START = datetime.date(2024, 1, 1)
END = datetime.date(2027, 12, 31)
MAX_PARTICIPANTS = 60


def _operation() -> Operation:
    operation, _created = Operation.objects.update_or_create(
        number=NUMBER,
        defaults={
            "title": TITLE,
            "programme": Programme.FSE_PLUS,
            "carrier": structure("coordination"),
            "start_on": START,
            "end_on": END,
        },
    )
    operation.funders.set([structure("ddets")])
    return operation


def _participant(operation: Operation, person: Person, rng: random.Random) -> Participant:
    today = timezone.localdate()
    entry_on = START + datetime.timedelta(days=rng.randrange(0, max(1, (today - START).days - 60)))
    values = people.prefill(person, entry_on)
    values = {key: value for key, value in values.items() if value not in ("", None)}
    values.setdefault("gender", rng.choice([Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.NON_BINARY]))
    values.setdefault("nationality", rng.choice([Nationality.FRENCH] * 5 + [Nationality.EU, Nationality.NON_EU]))
    values.setdefault(
        "housing_entry", rng.choice([Housing.SHELTER, Housing.EMERGENCY, Housing.HOSTED, Housing.ORDINARY])
    )
    if person.birth_date >= entry_on:
        values["birth_date"] = entry_on.replace(year=entry_on.year - 30)
    drawn_isced = rng.choice([1, 2, 2, 3, 3, 3, 4, 5, 6])  # drawn anyway: the same draws for every seed
    participant = Participant(
        operation=operation,
        person=person,
        isced_entry=values.pop("isced_entry", drawn_isced),  # the evaluation's level when the person has one
        disability=rng.choice([Answer.NO] * 6 + [Answer.YES, Answer.DECLINED]),
        born_abroad=rng.choice([Answer.NO] * 4 + [Answer.YES, Answer.DECLINED]),
        parent_born_abroad=rng.choice([Answer.NO] * 3 + [Answer.YES]),
        is_rural=rng.random() < 0.2,
        **values,
    )
    if participant.lm_status_entry == LabourStatusEntry.UNEMPLOYED and participant.unemployed_since is None:
        participant.unemployed_since = entry_on - datetime.timedelta(days=rng.randrange(30, 900))
    if not participant.phone and not participant.email and rng.random() < 0.7:
        participant.referent_contact = "Référent·e de la structure porteuse"
    if rng.random() < 0.35 and entry_on + datetime.timedelta(days=60) < today:
        participant.exit_on = entry_on + datetime.timedelta(days=rng.randrange(30, max(31, (today - entry_on).days)))
        participant.exit_reason = rng.choice([ExitReason.COMPLETED, ExitReason.COMPLETED, ExitReason.DROPOUT])
        if rng.random() < 0.85:
            participant.exit_observed_on = min(
                participant.exit_on + datetime.timedelta(days=rng.randrange(0, 35)), today
            )
            participant.lm_status_exit = rng.choice(
                [LabourStatusExit.EMPLOYED, LabourStatusExit.JOB_SEEKING, LabourStatusExit.INACTIVE]
            )
            participant.in_education_or_training_exit = rng.random() < 0.2
            participant.qualification_gained = rng.random() < 0.25
    return participant


@transaction.atomic
def seed(stdout=None) -> None:
    operation = _operation()
    existing = set(Participant.objects.filter(operation=operation).values_list("person_id", flat=True))
    keys = set(Participant.objects.filter(operation=operation).values_list("match_key", flat=True))
    created = 0
    # People seeded by later demo steps (retention files, plans) are not enrolled on a second run: the
    # operation takes the people there were when it was first seeded, and seeding it again changes nothing.
    people = Person.objects.order_by("id")[:MAX_PARTICIPANTS] if not existing else Person.objects.none()
    for person in people:
        if person.pk in existing or match_key(person.last_name, person.first_name, person.birth_date) in keys:
            continue
        participant = _participant(operation, person, random.Random(person.pk))
        participant_save(participant=participant, validate=True)
        created += 1
    if stdout:
        total = Participant.objects.filter(operation=operation).count()
        stdout.write(f"fse: operation {NUMBER} with {total} participants ({created} new)")
