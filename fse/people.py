"""The link between FSE participants and the shared case file (parcours.Person).

- Prefill: a participant's entry data are derived from the person's identity and the situations open on the
  entry date (fse.md §5), read through the people app's access policy. Sensitive items (disability, birthplace
  of the participant and parents) are never prefilled: they are asked at entry. The ISCED level comes from the
  education level of the person's latest finalised evaluation (France Travail scale mapped by domain.md §3).
- Import: each imported participant is matched to a person *followed by the operation's carrying structure*
  (same normalised names and birth date) or, when none, a person is created with an employment follow-up by
  that structure (the structure delivers the operation, so it does follow the person). Matching never looks at
  people the carrying structure does not follow, so an import cannot open anyone's file to a new structure.
"""

from datetime import date

import audit
from audit.models import Action
from evaluations.enums import ISCED_BY_EDUCATION_LEVEL
from evaluations.models import Evaluation
from parcours.access import get_access
from parcours.enums import (
    HOUSING_GROUP_BY_STATUS,
    EmploymentStatus,
    HousingGroup,
    NationalityCategory,
    ResidentialStatus,
)
from parcours.enums import Gender as PersonGender
from parcours.models import EmploymentSituation, HousingSituation, Person
from parcours.services import people_import

from .enums import Gender, Housing, LabourStatusEntry, Nationality
from .models import Operation, Participant

GENDERS = {
    PersonGender.FEMALE: Gender.WOMAN,
    PersonGender.MALE: Gender.MAN,
    PersonGender.NON_BINARY: Gender.NON_BINARY,
}
PERSON_GENDERS = {value: key for key, value in GENDERS.items()}
NATIONALITIES = {
    NationalityCategory.FRENCH: Nationality.FRENCH,
    NationalityCategory.EU: Nationality.EU,
    NationalityCategory.NON_EU: Nationality.NON_EU,
    NationalityCategory.STATELESS: Nationality.STATELESS,
    NationalityCategory.UNDETERMINED: Nationality.UNDETERMINED,
}
PERSON_NATIONALITIES = {value: key for key, value in NATIONALITIES.items()}
HOUSING_BY_GROUP = {
    HousingGroup.STREET: Housing.STREET,
    HousingGroup.HOSTED: Housing.HOSTED,
    HousingGroup.EMERGENCY: Housing.EMERGENCY,
    HousingGroup.SHELTER: Housing.SHELTER,
    HousingGroup.ASYLUM: Housing.ASYLUM,
    HousingGroup.SUPPORTED: Housing.SUPPORTED,
    HousingGroup.INSTITUTION: Housing.INSTITUTION,
    HousingGroup.ORDINARY: Housing.ORDINARY,
}
EMPLOYED_STATUSES = {
    EmploymentStatus.EMPLOYED,
    EmploymentStatus.IAE,
    EmploymentStatus.SELF_EMPLOYED,
    EmploymentStatus.WORK_STUDY,
}
IN_TRAINING = {EmploymentStatus.TRAINING, EmploymentStatus.INTERNSHIP}


def _housing(situation: HousingSituation | None) -> str:
    if situation is None:
        return ""
    status = situation.residential_status
    if status in (ResidentialStatus.HOTEL_115, ResidentialStatus.HOTEL_OTHER):
        return Housing.HOTEL
    if status == ResidentialStatus.EVICTION:
        return Housing.PRECARIOUS  # ETHOS 9, under threat of eviction: counted
    return HOUSING_BY_GROUP.get(HOUSING_GROUP_BY_STATUS.get(status), "")


def entry_status(person: Person, situations: list, entry_on: date) -> tuple[str, date | None, bool]:
    """(status, unemployed_since, in education or training) from the periods open on the entry date, first match
    wins (fse.md §5)."""
    kinds = {s.situation for s in situations}
    if kinds & EMPLOYED_STATUSES:
        return LabourStatusEntry.EMPLOYED, None, False
    if EmploymentStatus.STUDENT in kinds:
        return LabourStatusEntry.INACTIVE, None, True
    ft_since = (
        person.ft_registered_since if person.ft_registered_since and person.ft_registered_since <= entry_on else None
    )
    seeking = [s.started_on for s in situations if s.situation == EmploymentStatus.JOB_SEEKING]
    if ft_since or seeking:
        return LabourStatusEntry.UNEMPLOYED, min([d for d in (ft_since, *seeking) if d]), False
    return LabourStatusEntry.INACTIVE, None, bool(kinds & IN_TRAINING)


def isced_level(person: Person) -> int | None:
    """ISCED level of the highest education completed, as recorded in the person's latest finalised evaluation
    (its current version; drafts never count). None without one: the level is then typed at entry."""
    level = Evaluation.objects.filter(person=person).current().values_list("education_level", flat=True).first()
    return ISCED_BY_EDUCATION_LEVEL.get(level)


def prefill(person: Person, entry_on: date) -> dict:
    """Initial values of a participant form for a person already fetched through the access policy."""
    situations = list(EmploymentSituation.objects.filter(person=person).current(entry_on))
    housing = HousingSituation.objects.filter(person=person).current(entry_on).order_by("-started_on").first()
    status, since, in_education = entry_status(person, situations, entry_on)
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "birth_date": person.birth_date,
        "gender": GENDERS.get(person.gender, ""),
        "phone": person.phone,
        "email": person.email,
        "commune_insee": person.commune_insee or "",
        "entry_on": entry_on,
        "lm_status_entry": status,
        "unemployed_since": since,
        "in_education_or_training_entry": in_education,
        "nationality": NATIONALITIES.get(person.nationality_category, ""),
        "isced_entry": isced_level(person),
        "housing_entry": _housing(housing),
        "info_notice_given_on": person.notice_given_on,
    }


def link_imported(*, operation: Operation, participant_ids: list[int], by=None) -> tuple[int, int]:
    """Match or create the persons of imported participants without one, set-wise, through the people app's
    `people_import` service (derived fields, audit trail per person, change signal). Returns (matched, created)."""
    carrier = operation.carrier
    if carrier is None:
        return 0, 0
    participants = list(
        Participant.objects.filter(pk__in=participant_ids, person__isnull=True)
        .order_by("pk")
        .only(
            "id", "last_name", "first_name", "birth_date", "gender", "phone", "email", "commune_insee", "nationality"
        )
    )
    if not participants:
        return 0, 0
    identities = [
        {
            "last_name": p.last_name,
            "first_name": p.first_name,
            "birth_date": p.birth_date,
            "gender": PERSON_GENDERS.get(p.gender, PersonGender.NOT_STATED),
            "nationality_category": PERSON_NATIONALITIES.get(p.nationality, ""),
            "phone": p.phone,
            "email": p.email,
            "commune_insee": p.commune_insee,
        }
        for p in participants
    ]
    person_ids, created = people_import(
        by=by, structure=carrier, identities=identities, obj=operation, detail=f"fse_import:{operation.pk}"
    )
    for participant, person_id in zip(participants, person_ids, strict=True):
        participant.person_id = person_id
    Participant.objects.bulk_update(participants, ["person"], batch_size=1000)
    if created:
        audit.record(user=by, action=Action.CREATE, obj=operation, detail=f"fse_import_persons:{created}")
    return len(participants) - created, created


def visible_person_id(user, participant: Participant) -> int | None:
    """The linked person's id when the user may see that file (people app's policy), else None."""
    if participant.person_id is None:
        return None
    return Person.objects.visible_to(user).filter(pk=participant.person_id).values_list("pk", flat=True).first()


def shows_health(user, participant: Participant) -> bool:
    """Whether a field member may see the participant's ◆ items (the `disability` answer and its basis): only
    with health access to the linked person (privacy.md §3, people app's policy). Coordinators, who collect
    and report these answers (fse.md §7, R9), are decided by the caller."""
    if participant.person_id is None:
        return False
    person = Person.objects.filter(pk=participant.person_id).only("pk", "restricted").first()
    return person is not None and get_access(user, person).health
