"""The DPO's services (privacy.md §5, §7, R10). Each acts on a person only through a `RightsRequest`, runs in a
transaction, records the audit trail (ids only) and raises ValidationError with a French message on bad input."""

import datetime as dt
import json
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from accounts.scope import user_scope
from audit.models import Action, AuditEntry
from evaluations import retention as evaluations_retention
from evaluations.models import Evaluation, EvaluationStatus
from parcours import rights
from parcours.models import NotificationKind, Person, RightsRequest, RightsRequestKind

from .models import AccessExport, BulkAccessNotice, RetentionSettings


def ensure_dpo(user) -> None:
    if not user_scope(user).is_dpo:
        raise PermissionDenied(_("Ce service est réservé au DPO."))


def _ensure_request(rights_request: RightsRequest, *kinds: str) -> None:
    if rights_request.status != "OPEN":
        raise ValidationError(_("Cette demande est close : ouvrez une nouvelle demande."))
    if kinds and rights_request.kind not in kinds:
        raise ValidationError(_("Ce service ne correspond pas au droit exercé dans cette demande."))


# --- "more than 50 files a day" (§5) -----------------------------------------------------------------------
def flag_bulk_access(day: dt.date | None = None) -> int:
    """Set-wise: users who opened more than the threshold of different people's files on `day` (yesterday by
    default) get one notice each (idempotent); the DPO is told."""
    day = day or timezone.localdate() - timedelta(days=1)
    threshold = RetentionSettings.load().bulk_access_threshold
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    rows = (
        AuditEntry.objects.filter(at__gte=start, at__lt=start + timedelta(days=1), action=Action.VIEW)
        .exclude(user__isnull=True)
        .exclude(person_id__isnull=True)
        .values("user_id")
        .annotate(people=Count("person_id", distinct=True))
        .filter(people__gt=threshold)
        .order_by("user_id")
    )
    with transaction.atomic():
        already = set(BulkAccessNotice.objects.filter(day=day).values_list("user_id", flat=True))
        new = [
            BulkAccessNotice(user_id=row["user_id"], day=day, people_count=row["people"])
            for row in rows
            if row["user_id"] not in already
        ]
        BulkAccessNotice.objects.bulk_create(new, ignore_conflicts=True)
        if new:
            rights.notify_users([u.pk for u in rights.dpo_users()], kind=NotificationKind.BULK_ACCESS, on_date=day)
    return len(new)


# --- access: "Export complet" (§7) -------------------------------------------------------------------------
EXCLUDED_MODELS = {"parcours.notification", "parcours.breakglassgrant", "dpo.accessexport"}


def _is_history(model) -> bool:
    return model.__name__.endswith("History") or any(f.name == "pgh_obj" for f in model._meta.get_fields())


def _value(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.attname)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _rows(queryset) -> list[dict]:
    model = queryset.model
    fields = [f for f in model._meta.concrete_fields if f.name not in ("search_name", "search_name_reversed")]
    out = []
    for obj in queryset.order_by("pk"):
        row = {"id": obj.pk}
        for field in fields:
            if field.primary_key:
                continue
            if field.is_relation:
                related = getattr(obj, field.attname)
                row[str(field.verbose_name)] = related
            else:
                row[str(field.verbose_name)] = _value(obj, field)
        out.append(row)
    return out


def person_dossier(person: Person) -> dict:
    """Everything about `person`, by model: every model with a foreign key to Person (every app, private notes
    of every structure and every evaluation version included) and their children (transitions, barriers…)."""
    sections = []
    person_models = []
    for model in apps.get_models():
        if _is_history(model) or model._meta.label_lower in EXCLUDED_MODELS:
            continue
        fks = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Person]
        if fks:
            person_models.append((model, fks))
    level_one = {model for model, _fks in person_models}
    for model, fks in sorted(person_models, key=lambda item: item[0]._meta.label):
        query = models.Q()
        for fk in fks:
            query |= models.Q(**{fk.name: person})
        rows = _rows(model.objects.filter(query))
        sections.append(
            {"model": model._meta.label_lower, "title": str(model._meta.verbose_name_plural), "rows": rows}
        )
        ids = [row["id"] for row in rows]
        for child in apps.get_models():
            if child in level_one or _is_history(child) or child._meta.label_lower in EXCLUDED_MODELS:
                continue
            links = [f for f in child._meta.concrete_fields if f.is_relation and f.related_model is model]
            if not links or not ids:
                continue
            child_rows = _rows(child.objects.filter(**{f"{links[0].name}__in": ids}))
            if child_rows:
                sections.append(
                    {
                        "model": child._meta.label_lower,
                        "title": str(child._meta.verbose_name_plural),
                        "rows": child_rows,
                    }
                )
    return {
        "person": _rows(Person.objects.filter(pk=person.pk))[0],
        "generated_at": timezone.now().isoformat(),
        "sections": sections,
    }


@transaction.atomic
def access_export(*, rights_request: RightsRequest, by, request=None) -> AccessExport:
    """One PDF (WeasyPrint) and one JSON file of the same content; the files expire after 7 days."""
    from weasyprint import HTML

    ensure_dpo(by)
    _ensure_request(rights_request, RightsRequestKind.ACCESS)
    person = rights_request.person
    dossier = person_dossier(person)
    html = render_to_string("dpo/pdf/export.html", {"dossier": dossier, "rights_request": rights_request})
    pdf = HTML(string=html).write_pdf()
    expiry = RetentionSettings.load().export_expiry_days
    export = AccessExport(
        rights_request=rights_request,
        person_id=person.pk,
        created_by=by,
        expires_at=timezone.now() + timedelta(days=expiry),
    )
    export.pdf.save(f"export-{rights_request.pk}.pdf", ContentFile(pdf), save=False)
    payload = json.dumps(dossier, ensure_ascii=False, indent=2, default=str).encode()
    export.json.save(f"export-{rights_request.pk}.json", ContentFile(payload), save=False)
    export.save()
    audit.record(user=by, action=Action.EXPORT, person=person, obj=export, detail="rights_access", request=request)
    return export


# --- rectification of a finalised evaluation (§7) ------------------------------------------------------------
def rectifiable_fields() -> list[tuple[str, str]]:
    skip = {
        "id",
        "person",
        "structure",
        "author",
        "status",
        "version_no",
        "based_on",
        "is_current",
        "created_at",
        "updated_at",
        "lock_version",
        "finalised_at",
        "finalised_by",
        "snapshot",
    }
    return [
        (f.name, str(f.verbose_name))
        for f in Evaluation._meta.concrete_fields
        if f.name not in skip and not f.is_relation
    ]


@transaction.atomic
def rectify_evaluation(
    *, rights_request: RightsRequest, by, evaluation_id, field_name: str, value: str, reason: str, request=None
) -> Evaluation:
    """Field, new value, reason; the wrong value is not kept. Through the sanctioned trigger exception only."""
    ensure_dpo(by)
    _ensure_request(rights_request, RightsRequestKind.RECTIFICATION)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(_("Indiquez le motif de la rectification (10 caractères au moins)."))
    try:
        evaluation = Evaluation.objects.get(
            pk=int(evaluation_id), person_id=rights_request.person_id, status=EvaluationStatus.FINAL
        )
    except (TypeError, ValueError, Evaluation.DoesNotExist):
        raise ValidationError(_("Aucune évaluation finalisée de cette personne ne porte ce numéro.")) from None
    if field_name not in dict(rectifiable_fields()):
        raise ValidationError(_("Ce champ ne peut pas être rectifié ici."))
    field = Evaluation._meta.get_field(field_name)
    try:
        if field.get_internal_type() == "ArrayField":
            parsed = [part.strip() for part in (value or "").split(",") if part.strip()]
        else:
            parsed = field.to_python(value if value != "" else (None if field.null else ""))
        field.clean(parsed, evaluation)
    except ValidationError as exc:
        raise ValidationError(
            _("Valeur refusée pour ce champ : %(detail)s") % {"detail": " ".join(exc.messages)}
        ) from None
    evaluations_retention.rectify_finalised(evaluation, field_name, parsed)
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=rights_request.person_id,
        obj=evaluation,
        detail=f"rectification:{field_name}"[:200],
        request=request,
    )
    return evaluation


# --- erasure, objection, restriction through a request ----------------------------------------------------
def erase_now(*, rights_request: RightsRequest, by, request=None) -> int:
    """Erasure where applicable: the anonymisation service runs at once (FSE records keep their audit period)."""
    from .retention import anonymise_batch

    ensure_dpo(by)
    _ensure_request(rights_request, RightsRequestKind.ERASURE)
    if Person.objects.filter(pk=rights_request.person_id, retention_hold_until__gte=timezone.localdate()).exists():
        raise ValidationError(_("Une conservation prolongée est en cours : levez-la d'abord."))
    count = anonymise_batch([rights_request.person_id])
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=rights_request.person_id,
        obj=rights_request,
        detail="erasure",
        request=request,
    )
    return count


def restrict(*, rights_request: RightsRequest, by, restricted: bool, request=None) -> Person:
    ensure_dpo(by)
    _ensure_request(rights_request, RightsRequestKind.RESTRICTION)
    return rights.set_restriction(person=rights_request.person, by=by, restricted=restricted, request=request)
