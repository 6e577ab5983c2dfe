"""Writes of the FSE app: operations, participants (one by one or imported), report requests."""

import unicodedata
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

import outbox
from partenaires.models import Structure

from .models import Operation, Participant, Report
from .people import link_imported


def normalize(text: str) -> str:
    """Lower case, no accents, single spaces: how names are compared (re-import, matching)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("-", " ").replace("'", " ").replace("’", " ")
    return " ".join(plain.split())


def match_key(last_name: str, first_name: str, birth_date: date) -> str:
    return f"{normalize(last_name)}|{normalize(first_name)}|{birth_date.isoformat()}"


@transaction.atomic
def operation_create(
    *,
    number: str,
    title: str,
    programme: str,
    start_on: date,
    end_on: date,
    carrier: Structure | None = None,
    funders: Iterable[Structure] = (),
    **settings,
) -> Operation:
    operation = Operation(
        number=number, title=title, programme=programme, start_on=start_on, end_on=end_on, carrier=carrier, **settings
    )
    operation.full_clean()
    operation.save()
    operation.funders.set(funders)
    return operation


def _next_sequences(operation: Operation, count: int) -> list[int]:
    """Sequences for new participants; the operation row lock serialises concurrent writers."""
    Operation.objects.select_for_update().filter(pk=operation.pk).first()
    last = Participant.objects.filter(operation=operation).aggregate(m=Max("sequence"))["m"] or 0
    return list(range(last + 1, last + 1 + count))


def participant_number(operation: Operation, sequence: int) -> str:
    return f"{operation.number}-{sequence:04d}"


@transaction.atomic
def participant_save(*, participant: Participant, by=None, validate: bool = False) -> Participant:
    """Create or update one participant; `validate` freezes it as the official record."""
    participant.match_key = match_key(participant.last_name, participant.first_name, participant.birth_date)
    if participant.pk is None:
        (participant.sequence,) = _next_sequences(participant.operation, 1)
        participant.number = participant_number(participant.operation, participant.sequence)
    if validate and participant.validated_at is None:
        participant.validated_at = timezone.now()
        participant.validated_by = by
    participant.save()
    return participant


IMPORTED_FIELDS = [
    "last_name",
    "first_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "commune_insee",
    "entry_on",
    "lm_status_entry",
    "unemployed_since",
    "in_education_or_training_entry",
    "isced_entry",
    "disability",
    "nationality",
    "born_abroad",
    "parent_born_abroad",
    "housing_entry",
    "is_rural",
    "exit_on",
    "exit_observed_on",
    "lm_status_exit",
    "in_education_or_training_exit",
    "qualification_gained",
]


@transaction.atomic
def participants_import(*, operation: Operation, rows: list[dict], by=None) -> tuple[int, int]:
    """Upsert already validated rows set-wise: matched on operation + names + birth date. Returns (created, updated).

    Every imported row passed the record-level rules, so it is stored validated (validated_by = importer).
    """
    now = timezone.now()
    keyed = {match_key(r["last_name"], r["first_name"], r["birth_date"]): r for r in rows}
    existing = {p.match_key: p for p in Participant.objects.filter(operation=operation, match_key__in=list(keyed))}
    new_keys = [key for key in keyed if key not in existing]
    sequences = _next_sequences(operation, len(new_keys))
    to_create = []
    for key, sequence in zip(new_keys, sequences, strict=True):
        to_create.append(
            Participant(
                operation=operation,
                sequence=sequence,
                number=participant_number(operation, sequence),
                match_key=key,
                validated_at=now,
                validated_by=by,
                **{name: keyed[key][name] for name in IMPORTED_FIELDS},
            )
        )
    Participant.objects.bulk_create(to_create, batch_size=1000)
    to_update = []
    for key, participant in existing.items():
        for name in IMPORTED_FIELDS:
            setattr(participant, name, keyed[key][name])
        if participant.validated_at is None:
            participant.validated_at, participant.validated_by = now, by
        participant.updated_at = now
        to_update.append(participant)
    Participant.objects.bulk_update(
        to_update, [*IMPORTED_FIELDS, "validated_at", "validated_by", "updated_at"], batch_size=1000
    )

    link_imported(
        operation=operation,
        participant_ids=[p.pk for p in to_create] + [p.pk for p in to_update if p.person_id is None],
        by=by,
    )
    return len(to_create), len(to_update)


@transaction.atomic
def report_request(*, operation: Operation, period_start: date, period_end: date, by) -> Report:
    """A new report row (never overwriting older ones), rendered by the worker after commit."""
    report = Report.objects.create(
        operation=operation, period_start=period_start, period_end=period_end, requested_by=by
    )
    outbox.enqueue("fse.tasks.generate_report", report.pk)
    return report
