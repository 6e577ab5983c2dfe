"""Import and export of the directory in the data·inclusion schema (package `data-inclusion-schema`, v1).

Every record is validated with the package's pydantic models, then with our own rules (SIRET checksum,
field lengths). An import applies nothing when any record is invalid, unless `skip_invalid`; records
imported before are matched on (source, id) and updated instead of duplicated.

Our fields the schema lacks (kind, acronym, territory, publics…) travel in an extra `coordination` key
of each structure, which the package's models ignore: the export stays valid against the package and an
export re-imported into an empty database gives back the same directory.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

import pydantic
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import IAE_PRESCRIBER_KINDS, KIND_BY_RESEAU_PORTEUR, StructureKind
from .models import Service, Structure

OUR_SOURCE = "coordination"
EXTENSION_KEY = "coordination"
EXTENSION_FIELDS = [
    "kind",
    "acronym",
    "territory",
    "publics",
    "housing_offers",
    "referral_procedure",
    "capacity",
    "is_member",
    "is_iae_prescriber",
]
STRUCTURE_FIELDS = [
    "name",
    "description",
    "siret",
    "address",
    "address_complement",
    "postal_code",
    "commune",
    "insee_code",
    "phone",
    "email",
    "website",
    "opening_hours",
    "reseaux_porteurs",
    "reviewed_on",
]
SERVICE_FIELDS = [
    "name",
    "description",
    "type",
    "thematiques",
    "fees",
    "fees_details",
    "publics",
    "publics_details",
    "conditions",
    "mobilisation_modes",
    "mobilisation_details",
    "zone",
]


# Depth of a data·inclusion file: a list of records, each an object whose values are scalars, lists of
# scalars or our extension object (of scalars and lists). Anything deeper is refused before being parsed, so that
# a hostile file never reaches the recursive parser (RecursionError, issue 11).
MAX_JSON_DEPTH = 6
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET_RE = re.compile(r"[\[\]{}]")


class PayloadError(Exception):
    """The file as a whole cannot be read (not JSON, not a list): a French message for people."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    applied: bool = False

    def add_error(self, record_id: str, reason: str) -> None:
        self.invalid += 1
        self.errors.append((record_id, reason))

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "errors": [list(error) for error in self.errors],
            "applied": self.applied,
        }

    def summary(self) -> str:
        return _("%(created)s créé(s), %(updated)s mis à jour, %(unchanged)s inchangé(s), %(invalid)s invalide(s)") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
        }


# --- reading ---------------------------------------------------------------------------------------
def load_records(content: bytes | str, label: str) -> list:
    """The list of records of a JSON file, or PayloadError with a French message."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PayloadError(
                _("Le fichier %(label)s n'est pas un fichier texte UTF-8 : est-ce bien un JSON ?") % {"label": label}
            ) from exc
    if json_depth(content) > MAX_JSON_DEPTH:
        raise PayloadError(
            _(
                "Le fichier %(label)s est imbriqué trop profondément (%(max)s niveaux au plus) : "
                "ce n'est pas un fichier data·inclusion."
            )
            % {"label": label, "max": MAX_JSON_DEPTH}
        )
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise PayloadError(
            _("Le fichier %(label)s n'est pas un JSON valide (ligne %(line)s, colonne %(column)s).")
            % {"label": label, "line": exc.lineno, "column": exc.colno}
        ) from exc
    except RecursionError as exc:  # belt and braces: the depth check above comes first
        raise PayloadError(_("Le fichier %(label)s est imbriqué trop profondément.") % {"label": label}) from exc
    if not isinstance(data, list):
        raise PayloadError(
            _("Le fichier %(label)s doit contenir une liste d'enregistrements data·inclusion.") % {"label": label}
        )
    problems = []
    for index, record in enumerate(data):
        if isinstance(record, dict):  # a record that is not an object is named in the import report
            problems.extend(shape_problems(record, index))
        if len(problems) >= 20:
            break
    if problems:
        raise PayloadError(
            _("Le fichier %(label)s est refusé : %(problems)s.")
            % {"label": label, "problems": " ; ".join(problems[:20])}
        )
    return data


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text, without parsing it (strings skipped)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET_RE.findall(_JSON_STRING_RE.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _is_scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _expected_type(name: str) -> tuple[type, ...]:
    field = Structure._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        return (bool,)
    if isinstance(field, models.IntegerField):
        return (int, type(None)) if field.null else (int,)
    if hasattr(field, "base_field"):
        return (list,)
    return (str,)


def shape_problems(record, index: int) -> list[str]:
    """What makes a record unusable whatever its content: not an object, values of the wrong type (French)."""
    record_id = _record_id(record, index)
    if not isinstance(record, dict):
        return [_("%(id)s : un enregistrement doit être un objet JSON") % {"id": record_id}]
    problems = []
    for key, value in record.items():
        if key == EXTENSION_KEY:
            continue
        if not (_is_scalar(value) or (isinstance(value, list) and all(_is_scalar(v) for v in value))):
            problems.append(_("%(id)s : « %(key)s » a un type de valeur inattendu") % {"id": record_id, "key": key})
    extension = record.get(EXTENSION_KEY)
    if extension is None:
        return problems
    if not isinstance(extension, dict):
        return [*problems, _("%(id)s : « %(key)s » doit être un objet") % {"id": record_id, "key": EXTENSION_KEY}]
    for name in EXTENSION_FIELDS:
        if name not in extension:
            continue
        value, expected = extension[name], _expected_type(name)
        wrong = not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))
        if not wrong and list in expected:
            wrong = not all(isinstance(item, str) for item in value)
        if wrong:
            problems.append(
                _("%(id)s : « %(key)s.%(name)s » a un type de valeur inattendu")
                % {"id": record_id, "key": EXTENSION_KEY, "name": name}
            )
    return problems


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error["loc"]) or _("enregistrement")
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        reason = _("champ obligatoire manquant")
    elif kind == "enum":
        reason = _("valeur inconnue du référentiel « %(value)s »") % {"value": value}
    elif kind == "string_too_short":
        reason = _("texte trop court (au moins %(n)s caractères)") % {"n": ctx.get("min_length")}
    elif kind == "string_too_long":
        reason = _("texte trop long (au plus %(n)s caractères)") % {"n": ctx.get("max_length")}
    elif kind == "string_pattern_mismatch":
        reason = _("format invalide « %(value)s »") % {"value": value}
    elif kind.startswith("url_"):
        reason = _("adresse web invalide « %(value)s »") % {"value": value}
    elif kind.startswith("date_"):
        reason = _("date invalide « %(value)s »") % {"value": value}
    elif kind == "value_error" and "email" in error.get("msg", ""):
        reason = _("adresse e-mail invalide « %(value)s »") % {"value": value}
    elif kind == "value_error":
        reason = str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    elif kind.endswith("_type"):
        reason = _("type de valeur inattendu")
    else:
        reason = _("valeur invalide (%(detail)s)") % {"detail": error.get("msg", kind)}
    return f"{where} : {reason}"


def _pydantic_reasons(exc: pydantic.ValidationError) -> str:
    return " ; ".join(_describe(error) for error in exc.errors(include_url=False))


def _django_reasons(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ; ".join(f"{name} : {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def _record_id(record, index: int) -> str:
    if isinstance(record, dict) and record.get("id"):
        return str(record["id"])
    return _("enregistrement n° %(index)s") % {"index": index + 1}


# --- mapping ---------------------------------------------------------------------------------------
def _structure_values(model: v1.Structure, extension: dict) -> dict:
    values = {
        "name": model.nom,
        "description": model.description or "",
        "siret": model.siret or "",
        "address": model.adresse or "",
        "address_complement": model.complement_adresse or "",
        "postal_code": model.code_postal or "",
        "commune": model.commune or "",
        "insee_code": model.code_insee or "",
        "phone": model.telephone or "",
        "email": model.courriel or "",
        "website": str(model.site_web) if model.site_web else "",
        "opening_hours": model.horaires_accueil or "",
        "reseaux_porteurs": sorted(slug.value for slug in model.reseaux_porteurs or []),
        "reviewed_on": model.date_maj,
    }
    for name in EXTENSION_FIELDS:
        if name in extension:
            values[name] = extension[name]
    return values


def _default_kind(reseaux: list[str]) -> str:
    for slug in reseaux:
        if slug in KIND_BY_RESEAU_PORTEUR:
            return KIND_BY_RESEAU_PORTEUR[slug]
    return StructureKind.OTHER


def _service_values(model: v1.Service) -> dict:
    return {
        "name": model.nom,
        "description": model.description,
        "type": model.type.value if model.type else "",
        "thematiques": sorted(slug.value for slug in model.thematiques or []),
        "fees": model.frais.value if model.frais else "",
        "fees_details": model.frais_precisions or "",
        "publics": sorted(slug.value for slug in model.publics or []),
        "publics_details": model.publics_precisions or "",
        "conditions": model.conditions_acces or "",
        "mobilisation_modes": sorted(slug.value for slug in model.modes_mobilisation or []),
        "mobilisation_details": model.mobilisation_precisions or "",
        "zone": list(model.zone_eligibilite or []),
    }


def _apply_values(instance, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _check_instance(instance, exclude=()) -> None:
    """Our own rules (SIRET checksum, lengths, referentials), without database queries."""
    instance.clean_fields(exclude=[*exclude, "search_vector"])
    instance.clean()


# --- import ----------------------------------------------------------------------------------------
@dataclass
class _Planned:
    instance: object
    created: bool
    changed: bool


class _DryRun(Exception):
    pass


def run_import(structures: list, services: list, *, dry_run: bool = False, skip_invalid: bool = False) -> ImportReport:
    """Validate every record, then (unless invalid records forbid it or `dry_run`) write them in one transaction."""
    report = ImportReport()
    today = timezone.localdate()
    planned_structures: dict[str, _Planned] = {}
    existing = {
        (s.source, s.source_id): s
        for s in Structure.objects.filter(source_id__in=[r.get("id") for r in structures if isinstance(r, dict)])
    }
    for index, record in enumerate(structures):
        record_id = _record_id(record, index)
        if not isinstance(record, dict):
            report.add_error(record_id, _("un enregistrement doit être un objet JSON"))
            continue
        try:
            model = v1.Structure.model_validate(record)
        except pydantic.ValidationError as exc:
            report.add_error(record_id, _pydantic_reasons(exc))
            continue
        if model.id in planned_structures:
            report.add_error(record_id, _("identifiant présent deux fois dans le fichier"))
            continue
        if problems := shape_problems(record, index):  # uploads stored before the check at upload time
            report.add_error(record_id, " ; ".join(problems))
            continue
        extension = record.get(EXTENSION_KEY) if isinstance(record.get(EXTENSION_KEY), dict) else {}
        values = _structure_values(model, extension)
        if model.site_web:
            # pydantic normalises URLs (adds a trailing slash): keep the address as written.
            values["website"] = str(record["site_web"])
        values["reviewed_on"] = min(values["reviewed_on"], today)
        instance = existing.get((model.source, model.id))
        created = instance is None
        if created:
            instance = Structure(source=model.source, source_id=model.id)
            values.setdefault("kind", _default_kind(values["reseaux_porteurs"]))
            values.setdefault("is_iae_prescriber", values["kind"] in IAE_PRESCRIBER_KINDS)
        changed = _apply_values(instance, values)
        try:
            _check_instance(instance)
        except ValidationError as exc:
            report.add_error(record_id, _django_reasons(exc))
            continue
        except (TypeError, ValueError):
            report.add_error(record_id, _("%(key)s : valeurs inattendues") % {"key": EXTENSION_KEY})
            continue
        planned_structures[model.id] = _Planned(instance, created, changed)

    invalid_structure_ids = {error[0] for error in report.errors}
    planned_services: dict[str, tuple[_Planned, str]] = {}
    existing_services = {
        (s.source, s.source_id): s
        for s in Service.objects.filter(source_id__in=[r.get("id") for r in services if isinstance(r, dict)])
    }
    known_structures = {
        s.source_id: s
        for s in Structure.objects.filter(
            source_id__in=[r.get("structure_id") for r in services if isinstance(r, dict)]
        ).exclude(source_id="")
    }
    for index, record in enumerate(services):
        record_id = _record_id(record, index)
        if not isinstance(record, dict):
            report.add_error(record_id, _("un enregistrement doit être un objet JSON"))
            continue
        try:
            model = v1.Service.model_validate(record)
        except pydantic.ValidationError as exc:
            report.add_error(record_id, _pydantic_reasons(exc))
            continue
        if model.id in planned_services:
            report.add_error(record_id, _("identifiant présent deux fois dans le fichier"))
            continue
        if model.structure_id in invalid_structure_ids:
            report.add_error(record_id, _("sa structure « %(id)s » est invalide") % {"id": model.structure_id})
            continue
        if model.structure_id not in planned_structures and model.structure_id not in known_structures:
            report.add_error(record_id, _("structure « %(id)s » introuvable") % {"id": model.structure_id})
            continue
        instance = existing_services.get((model.source, model.id))
        created = instance is None
        if created:
            instance = Service(source=model.source, source_id=model.id)
        changed = _apply_values(instance, _service_values(model))
        try:
            _check_instance(instance, exclude=["structure"])
        except ValidationError as exc:
            report.add_error(record_id, _django_reasons(exc))
            continue
        planned_services[model.id] = (_Planned(instance, created, changed), model.structure_id)

    if report.invalid and not skip_invalid:
        return report
    try:
        with transaction.atomic():
            _write(report, planned_structures, planned_services, known_structures)
            if dry_run:
                raise _DryRun
            report.applied = True
    except _DryRun:
        pass
    return report


def _write(report, planned_structures, planned_services, known_structures) -> None:
    touched: dict[int, Structure] = {}
    for planned in planned_structures.values():
        structure = planned.instance
        if planned.created or planned.changed:
            structure.save()
        _count(report, planned)
        touched[structure.pk] = structure
    for planned, structure_id in planned_services.values():
        service = planned.instance
        structure = (
            planned_structures[structure_id].instance
            if structure_id in planned_structures
            else known_structures[structure_id]
        )
        if service.structure_id != structure.pk:
            service.structure = structure
            planned.changed = True
        if planned.created or planned.changed:
            service.save()
            touched[structure.pk] = structure
        _count(report, planned)
    # One pass to rebuild the search documents of the structures whose services changed.
    batch = []
    for structure in Structure.objects.filter(pk__in=touched).prefetch_related("services"):
        structure.build_search_fields(services=list(structure.services.all()))
        batch.append(structure)
    Structure.objects.bulk_update(batch, ["search_document", "place_document"], batch_size=500)


def _count(report: ImportReport, planned: _Planned) -> None:
    if planned.created:
        report.created += 1
    elif planned.changed:
        report.updated += 1
    else:
        report.unchanged += 1


# --- export ----------------------------------------------------------------------------------------
def structure_identity(structure: Structure) -> tuple[str, str]:
    if structure.source_id:
        return structure.source or OUR_SOURCE, structure.source_id
    return OUR_SOURCE, f"{OUR_SOURCE}--{structure.pk}"


def _valid_or_trimmed(model_class, record: dict, dropped: list) -> dict:
    """Validate `record`; drop optional values the schema refuses (e.g. a reserved e-mail domain)."""
    try:
        model_class.model_validate(record)
        return record
    except pydantic.ValidationError as exc:
        required = {name for name, info in model_class.model_fields.items() if info.is_required()}
        for error in exc.errors(include_url=False):
            name = error["loc"][0] if error["loc"] else None
            if name is None or name in required:
                raise
            if record.pop(name, None) is not None:
                dropped.append((record["id"], name))
        model_class.model_validate(record)
        return record


def export_directory(dropped: list | None = None) -> tuple[list[dict], list[dict]]:
    """The whole directory as (structures, services), each record valid against the package."""
    dropped = dropped if dropped is not None else []
    today = timezone.localdate()
    ids: dict[int, str] = {}
    structures = []
    for structure in Structure.objects.order_by("pk").defer("search_document", "place_document", "search_vector"):
        source, identifier = structure_identity(structure)
        ids[structure.pk] = identifier
        record = {
            "source": source,
            "id": identifier,
            "nom": structure.name[:150],
            "date_maj": min(structure.reviewed_on or today, datetime.date.today()).isoformat(),  # noqa: DTZ011
            "description": structure.description if len(structure.description) >= 5 else None,
            "siret": structure.siret or None,
            "commune": structure.commune or None,
            "code_postal": structure.postal_code or None,
            "code_insee": structure.insee_code or None,
            "adresse": structure.address or None,
            "complement_adresse": structure.address_complement or None,
            "telephone": structure.phone or None,
            "courriel": structure.email or None,
            "site_web": structure.website or None,
            "horaires_accueil": structure.opening_hours or None,
            "reseaux_porteurs": sorted(structure.reseaux_porteurs) or None,
            EXTENSION_KEY: {name: getattr(structure, name) for name in EXTENSION_FIELDS},
        }
        structures.append(_valid_or_trimmed(v1.Structure, record, dropped))
    services = []
    for service in Service.objects.order_by("pk"):
        record = {
            "source": service.source or OUR_SOURCE,
            "id": service.source_id or f"{OUR_SOURCE}--service-{service.pk}",
            "structure_id": ids[service.structure_id],
            "nom": service.name,
            "description": service.description,
            "date_maj": min(timezone.localdate(service.updated_at), datetime.date.today()).isoformat(),  # noqa: DTZ011
            "type": service.type or None,
            "thematiques": sorted(service.thematiques) or None,
            "frais": service.fees or None,
            "frais_precisions": service.fees_details or None,
            "publics": sorted(service.publics) or None,
            "publics_precisions": service.publics_details or None,
            "conditions_acces": service.conditions or None,
            "modes_mobilisation": sorted(service.mobilisation_modes) or None,
            "mobilisation_precisions": service.mobilisation_details or None,
            "zone_eligibilite": service.zone or None,
        }
        services.append(_valid_or_trimmed(v1.Service, record, dropped))
    return structures, services
