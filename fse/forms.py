from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from outbox.forms import SubmissionKeyMixin
from parcours.models import Person
from partenaires.enums import StructureKind
from partenaires.models import Structure

from .indicators import SECTION_CONTACT, SECTION_ENTRY, SECTION_EXIT
from .models import Operation, Participant
from .validation import participant_errors


class SecondarySubmit(Submit):
    """A submit button of lesser weight (Submit's own classes would make it blue on blue)."""

    field_classes = "btn btn-outline-primary"


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

RULE_FIELDS = [
    "min_support_days",
    "child_under_age",
    "young_max_age",
    "senior_min_age",
    "ltu_months",
    "ltu_months_young",
    "ltu_young_under_age",
    "ltu_inclusive",
    "result_window_days",
    "eecr01_inactive_at_entry_only",
    "eecr04_not_employed_at_entry_only",
    "eeco16_scope",
    "foreign_background_rule",
    "collect_minority",
    "collects_six_month",
    "six_month_tolerance_days",
    "incomplete_threshold_percent",
]


class OperationForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = [
            "number",
            "title",
            "programme",
            "carrier",
            "funders",
            "start_on",
            "end_on",
            "audit_retention_until",
            "target_group_flags",
            *RULE_FIELDS,
        ]
        widgets = {
            "start_on": DATE_INPUT,
            "end_on": DATE_INPUT,
            "audit_retention_until": DATE_INPUT,
            "funders": forms.CheckboxSelectMultiple,
            "target_group_flags": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funders"].queryset = Structure.objects.filter(kind=StructureKind.FUNDER)
        self.fields["funders"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Opération"),
                "number",
                "title",
                "programme",
                "carrier",
                "funders",
                "start_on",
                "end_on",
                "audit_retention_until",
            ),
            Fieldset(
                _("Règles de calcul (à confirmer avec l'autorité de gestion)"), "target_group_flags", *RULE_FIELDS
            ),
            Submit("submit", _("Enregistrer")),
        )

    def clean_target_group_flags(self):
        flags = self.cleaned_data["target_group_flags"] or {}
        if not isinstance(flags, dict) or not all(isinstance(v, bool) for v in flags.values()):
            raise ValidationError(_('Indiquez un objet JSON de codes et de booléens, par exemple {"EECO16": true}.'))
        return flags

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("La date de fin doit être postérieure à la date de début."))
        return cleaned


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Du"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Au"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-sm-auto g-2 align-items-end"
        self.helper.add_input(SecondarySubmit("afficher", _("Afficher")))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la période doit suivre son début."))
        return cleaned


class ReportRequestForm(SubmissionKeyMixin, PeriodForm):
    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_class = "row row-cols-sm-auto g-2 align-items-end"
        self.helper.add_input(Submit("generate", _("Générer le rapport")))
        self.fields["start"].label = _("Début de la période du rapport")
        self.fields["end"].label = _("Fin de la période du rapport")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_("Colonnes et codes : voir le format d'import. Rien n'est enregistré avant votre confirmation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("preview", _("Vérifier le fichier")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Le fichier dépasse 20 Mo."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError(_("Format non pris en charge : utilisez un fichier CSV ou XLSX."))
        return upload


PARTICIPANT_ENTRY = [
    "last_name",
    "first_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "referent_contact",
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
    "minority",
    "housing_entry",
    "is_rural",
    "info_notice_given_on",
]
PARTICIPANT_CONTACT = ["phone", "email", "referent_contact"]
PARTICIPANT_EXIT = [
    "exit_on",
    "exit_reason",
    "exit_observed_on",
    "lm_status_exit",
    "in_education_or_training_exit",
    "qualification_gained",
]
PARTICIPANT_SIX_MONTHS = ["six_month_observed_on", "six_month_employed", "six_month_improvement"]


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [*PARTICIPANT_ENTRY, *PARTICIPANT_EXIT, *PARTICIPANT_SIX_MONTHS]
        widgets = {
            name: DATE_INPUT
            for name in (
                "birth_date",
                "entry_on",
                "unemployed_since",
                "info_notice_given_on",
                "exit_on",
                "exit_observed_on",
                "six_month_observed_on",
            )
        }

    def __init__(self, *args, operation: Operation, person_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.operation = operation
        self.instance.operation = operation
        if not operation.collect_minority:
            del self.fields["minority"]
        self.frozen = self.instance.pk is not None and self.instance.validated_at is not None
        if self.frozen:
            # The validated entry record is the official one (fse.md §7): exit and six-month data stay editable.
            for name in PARTICIPANT_ENTRY:
                if name in self.fields:
                    self.fields[name].disabled = True
        self.helper = FormHelper()
        self.helper.layout = Layout(
            # The sections have anchors: « Dossiers à compléter » links each missing item to its section.
            Fieldset(
                _("Données d'entrée"),
                *[f for f in PARTICIPANT_ENTRY if f in self.fields and f not in PARTICIPANT_CONTACT],
                css_id=SECTION_ENTRY,
            ),
            Fieldset(_("Coordonnées"), *PARTICIPANT_CONTACT, css_id=SECTION_CONTACT),
            Fieldset(_("Sortie"), *PARTICIPANT_EXIT, css_id=SECTION_EXIT),
            Fieldset(_("Situation six mois après la sortie"), *PARTICIPANT_SIX_MONTHS, css_id="fse-six-mois"),
            SecondarySubmit("save", _("Enregistrer le brouillon")),
            Submit("validate", _("Enregistrer et valider")),
        )
        if self.frozen:
            self.helper.layout.pop()
            self.helper.layout.pop()
            self.helper.layout.append(Submit("save", _("Enregistrer")))
        if person_id is not None:
            self.fields["personne"] = forms.IntegerField(widget=forms.HiddenInput, initial=person_id)
            self.helper.layout.insert(0, "personne")

    def clean(self):
        cleaned = super().clean()
        for name, message in participant_errors(cleaned, operation=self.operation):
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned


class PersonChoiceForm(forms.Form):
    """Choose the person a new participant is built from, among the people the user may see."""

    personne = forms.ModelChoiceField(
        label=_("Préremplir depuis le dossier d'une personne"),
        queryset=None,
        required=True,
        help_text=_("Seules les personnes dont vous pouvez consulter le dossier sont proposées."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["personne"].queryset = Person.objects.visible_to(user).order_by("last_name", "first_name", "id")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(SecondarySubmit("preremplir", _("Préremplir")))
