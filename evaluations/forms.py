"""The evaluation form, one step per section (domain.md §3), with the checks of contradictory answers."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import enums
from .enums import BarrierStatus, BarrierTheme, Section
from .models import Evaluation
from .sections import BY_NAME, HEALTH_FIELDS, fields_of

ROME_RE = re.compile(r"^\s*([A-Na-n]\d{4})\b\s*(.*)$")
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
EXCLUSIVE_NONE = ("driving_licences", "mobility_means", "digital_equipment")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class SectionForm(forms.ModelForm):
    """A ModelForm over the fields of one section. Built by `section_form_class`."""

    # Posted back unchanged; a save from an older copy is refused (optimistic locking, services.py).
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    section: str = ""

    class Meta:
        model = Evaluation
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["lock_version"].initial = self.instance.lock_version
        for name, field in self.fields.items():
            spec = BY_NAME.get(name)
            if spec is None:
                continue
            if spec.multiple:
                self.fields[name] = forms.MultipleChoiceField(
                    label=spec.label,
                    help_text=spec.help_text,
                    choices=spec.choices.choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            elif isinstance(field, forms.DateField):
                field.widget = DateInput()
        if "target_jobs" in self.fields:
            spec = BY_NAME["target_jobs"]
            self.fields["target_jobs"] = forms.CharField(
                label=spec.label, help_text=spec.help_text, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            if not self.is_bound:
                self.initial["target_jobs"] = "\n".join(
                    " ".join(filter(None, [job.get("rome_code"), job.get("label")]))
                    for job in self.instance.target_jobs or []
                )
        if "target_communes" in self.fields:
            spec = BY_NAME["target_communes"]
            self.fields["target_communes"] = forms.CharField(
                label=spec.label, help_text=spec.help_text, required=False, max_length=500
            )
            if not self.is_bound:
                self.initial["target_communes"] = ", ".join(self.instance.target_communes or [])
        if "worker_synthesis" in self.fields:
            self.fields["worker_synthesis"].widget = forms.Textarea(attrs={"rows": 5})
        if "distance_override_reason" in self.fields:
            self.fields["distance_override_reason"].widget = forms.Textarea(attrs={"rows": 2})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*[name for name in self.fields if name != "lock_version"])

    # --- field cleaning ---
    def clean_target_jobs(self):
        lines = [line.strip() for line in (self.cleaned_data.get("target_jobs") or "").splitlines() if line.strip()]
        if len(lines) > 3:
            raise forms.ValidationError(_("Indiquez au plus trois métiers visés, un par ligne."))
        jobs = []
        for line in lines:
            if len(line) > 150:
                raise forms.ValidationError(_("Un métier visé tient en 150 caractères au plus."))
            match = ROME_RE.match(line)
            if match:
                jobs.append({"rome_code": match.group(1).upper(), "label": match.group(2).strip()})
            else:
                jobs.append({"rome_code": None, "label": line})
        return jobs

    def clean_target_communes(self):
        raw = self.cleaned_data.get("target_communes") or ""
        communes = [item.strip() for item in raw.split(",") if item.strip()]
        if any(len(item) > 100 for item in communes):
            raise forms.ValidationError(_("Un nom de commune tient en 100 caractères au plus."))
        return communes

    def clean_workplace_commune_insee(self):
        value = (self.cleaned_data.get("workplace_commune_insee") or "").strip().upper()
        if value and not INSEE_RE.match(value):
            raise forms.ValidationError(_("Un code INSEE de commune a cinq caractères, par exemple 69123 ou 2A004."))
        return value

    def _not_in_future(self, name):
        value = self.cleaned_data.get(name)
        if value and value > _today():
            self.add_error(name, _("Cette date ne peut pas être dans le futur."))

    # --- contradictory answers ---
    def clean(self):
        cleaned = super().clean()
        for name in ("permit_renewal_filed_on", "last_job_ended_on", "ft_registered_since", "iae_diagnosis_on"):
            if name in self.fields:
                self._not_in_future(name)
        for name in EXCLUSIVE_NONE:
            values = cleaned.get(name) or []
            if "NONE" in values and len(values) > 1:
                self.add_error(name, _("« Aucun » ne peut pas être coché avec une autre réponse."))
        if self.section == Section.A:
            self._clean_administrative(cleaned)
        if self.section == Section.D:
            self._clean_employment(cleaned)
        if self.section == Section.M:
            self._clean_synthesis(cleaned)
        return cleaned

    def _clean_administrative(self, cleaned):
        nationality = cleaned.get("nationality_category")
        right = cleaned.get("residence_right")
        end = cleaned.get("permit_end_on")
        work = cleaned.get("work_allowed")
        if nationality in (enums.NationalityCategory.FRENCH, enums.NationalityCategory.EU) and right not in (
            "",
            None,
            enums.ResidenceRight.NOT_APPLICABLE,
        ):
            self.add_error(
                "residence_right",
                _(
                    "Une personne française ou ressortissante de l'UE n'a pas besoin de titre : "
                    "choisissez « Sans objet »."
                ),
            )
        if right in enums.RIGHTS_WITH_END_DATE and not end:
            self.add_error("permit_end_on", _("Indiquez la fin de validité du titre, du récépissé ou de l'APS."))
        if end and right not in enums.RIGHTS_WITH_END_DATE:
            self.add_error(
                "permit_end_on", _("Une date de fin ne s'applique qu'à une carte, un récépissé ou une APS.")
            )
        if work == enums.WorkAllowed.YES:
            if right == enums.ResidenceRight.NO_PERMIT:
                self.add_error(
                    "work_allowed", _("Sans titre de séjour, l'autorisation de travail ne peut pas être « Oui ».")
                )
            elif end and end < _today():
                self.add_error(
                    "work_allowed",
                    _(
                        "Le titre de séjour a expiré le %(date)s : l'autorisation de travail "
                        "ne peut pas être « Oui ». Choisissez « À vérifier » ou enregistrez le récépissé."
                    )
                    % {"date": date_format(end, "SHORT_DATE_FORMAT")},
                )

    def _clean_employment(self, cleaned):
        situation = cleaned.get("employment_situation")
        contract = cleaned.get("contract_type")
        if situation in enums.SALARIED_SITUATIONS and not contract:
            self.add_error("contract_type", _("Indiquez le type de contrat de l'emploi salarié."))
        in_work = situation in enums.WORKING_SITUATIONS or situation in (
            enums.EmploymentStatus.TRAINING,
            enums.EmploymentStatus.INTERNSHIP,
            enums.EmploymentStatus.CIVIC_SERVICE,
        )
        if situation and not in_work:
            if contract:
                self.add_error("contract_type", _("Un type de contrat ne s'applique qu'à une personne en emploi."))
            if cleaned.get("working_time"):
                self.add_error("working_time", _("Un temps de travail ne s'applique qu'à une personne en emploi."))
        iae_contracts = (enums.ContractType.CDDI, enums.ContractType.TEMP, enums.ContractType.OTHER)
        if situation == enums.EmploymentStatus.IAE and contract and contract not in iae_contracts:
            self.add_error("contract_type", _("Un parcours IAE se fait en CDDI, en intérim d'insertion ou autre."))

    def _clean_synthesis(self, cleaned):
        override = cleaned.get("distance_override")
        reason = (cleaned.get("distance_override_reason") or "").strip()
        if override and not reason:
            self.add_error(
                "distance_override_reason", _("Indiquez le motif du choix d'une autre distance à l'emploi.")
            )
        if reason and not override:
            self.add_error("distance_override", _("Choisissez la distance retenue, ou effacez le motif."))
        if cleaned.get("housing_near_workplace") and not cleaned.get("workplace_commune_insee"):
            self.add_error("workplace_commune_insee", _("Indiquez la commune du lieu de travail à rapprocher."))


_FORM_CLASSES: dict[tuple[str, bool], type[SectionForm]] = {}


def section_form_class(section: str, *, show_health: bool) -> type[SectionForm]:
    """The form of one section (◆ fields left out when the viewer has no health access)."""
    key = (section, show_health)
    if key not in _FORM_CLASSES:
        names = [spec.name for spec in fields_of(section) if show_health or spec.name not in HEALTH_FIELDS]
        meta = type("Meta", (SectionForm.Meta,), {"model": Evaluation, "fields": names})
        _FORM_CLASSES[key] = type(f"Section{section}Form", (SectionForm,), {"Meta": meta, "section": section})
    return _FORM_CLASSES[key]


class BarrierForm(forms.Form):
    """One theme of section K."""

    status = forms.ChoiceField(label=gettext_lazy("Statut"), choices=BarrierStatus.choices)
    situations = forms.MultipleChoiceField(
        label=gettext_lazy("Situations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=gettext_lazy("Commentaire"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Écrivez des faits observés, pas de jugement. Pas d'information de santé."),
    )

    def __init__(self, *args, theme: str, **kwargs):
        super().__init__(*args, prefix=theme.lower(), **kwargs)
        self.theme = theme
        self.theme_label = BarrierTheme(theme).label
        self.fields["status"].label = _("Statut du frein « %(theme)s »") % {"theme": self.theme_label}
        self.fields["situations"].choices = [
            (code, enums.BarrierSituation(code).label) for code in enums.SITUATIONS_BY_THEME[theme]
        ]
        if theme == BarrierTheme.HEALTH:
            # Never a diagnosis: no comment field, the one situation says only that a constraint exists.
            del self.fields["comment"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        situations = cleaned.get("situations") or []
        if status in (BarrierStatus.NONE, BarrierStatus.NOT_DISCUSSED) and situations:
            self.add_error(
                "situations",
                _("Des situations sont cochées alors que le frein est « %(status)s ».")
                % {"status": BarrierStatus(status).label},
            )
        if status == BarrierStatus.ACTIVE and not situations:
            self.add_error("situations", _("Cochez au moins une situation pour un frein actif."))
        return cleaned


class BarriersForm:
    """The eight theme forms of section K, validated together."""

    section = Section.K

    def __init__(self, data=None, *, evaluation: Evaluation, show_health: bool, barriers=None):
        self.evaluation = evaluation
        self.is_bound = data is not None
        existing = {b.theme: b for b in (evaluation.barriers.all() if barriers is None else barriers)}
        themes = [t for t in BarrierTheme.values if show_health or t != BarrierTheme.HEALTH]
        self.forms = []
        for theme in themes:
            barrier = existing.get(theme)
            initial = {
                "status": barrier.status if barrier else BarrierStatus.NOT_DISCUSSED,
                "situations": list(barrier.situations) if barrier else [],
                "comment": barrier.comment if barrier else "",
            }
            self.forms.append(BarrierForm(data, theme=theme, initial=initial))
        self.lock_form = forms.Form(data)
        self.lock_form.fields["lock_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        self.lock_form.fields["lock_version"].initial = evaluation.lock_version

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms]) and self.lock_form.is_valid()

    @property
    def cleaned_data(self) -> dict:
        return {form.theme: form.cleaned_data for form in self.forms}

    @property
    def lock_version(self) -> int:
        return self.lock_form.cleaned_data["lock_version"]

    @property
    def errors(self) -> list:
        return [form.errors for form in self.forms if form.errors] + (
            [self.lock_form.errors] if self.lock_form.errors else []
        )
